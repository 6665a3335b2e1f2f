// Shapes of the registrar: bindings in the location service, settings, and what the console sees.
import type { Contact } from '../core/index.ts';
import type { SipSource, TransportProtocol } from '../transport/index.ts';

export interface RegistrarSettings {
  realm: string;
  /** RFC 3261 10.3 step 7: shorter requested expiries are answered 423 with Min-Expires. */
  minExpires: number;
  /** Longer requested expiries are shortened to this. */
  maxExpires: number;
  /** Used when the REGISTER states none. */
  defaultExpires: number;
  /** Most contacts one extension may hold at once. */
  maxContacts: number;
  /** Digest nonce lifetime before a correct answer is re-challenged with stale=true. */
  nonceTtlMs: number;
}

export const DEFAULT_REGISTRAR: RegistrarSettings = {
  realm: 'ccbox',
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxContacts: 10,
  nonceTtlMs: 300_000,
};

/** One registered contact of an extension (hot state; rebuilt empty at boot, phones re-register). */
export interface Binding {
  extension: string;
  /** Contact URI as registered, the key of the binding within its extension. */
  contactUri: string;
  contact: Contact;
  callId: string;
  cseq: number;
  /** Monotonic ms at which the binding lapses. */
  expiresAtMono: number;
  /** Epoch ms, for display. */
  expiresAt: number;
  registeredAt: number;
  /** Where the REGISTER came from: requests to the phone go there (NAT: the flow, not the Contact). */
  source: SipSource;
  userAgent: string;
}

/** The console's view of one contact. */
export interface RegistrationView {
  contact: string;
  transport: TransportProtocol;
  /** Source address of the registration, `ip:port` ([v6]:port). */
  address: string;
  userAgent: string;
  expiresAt: number;
  expiresIn: number;
  registeredAt: number;
}

export interface LocationEvents {
  registered: [binding: Binding];
  /** Removed by un-REGISTER, expiry or the phone's deletion. */
  unregistered: [binding: Binding, why: 'unregister' | 'expired' | 'removed'];
}
