// Shapes of the B2BUA: who placed an incoming call, what the call side hands the legs (media offers and
// answers), the legs' events, and the settings (session timers, ring limits).
import type { SessionTimerPolicy, Uri } from '../core/index.ts';
import type { SipDestination } from '../index.ts';
import type { EndCause } from './causes.ts';

/** Who placed a call: an authenticated phone, or a recognised channel (carrier or gateway). */
export type CallOrigin =
  | { kind: 'phone'; extension: string }
  | { kind: 'trunk'; channelId: number; channelName: string };

/**
 * The media side of a leg: every SDP the peer sends goes here and every SDP we send comes from here
 * (the media core's edge leg), so one side's SDP never reaches the other.
 */
export interface LegMediaHandler {
  /** The peer offers (re-INVITE, UPDATE, or SDP in an INVITE we answer later); returns our answer. */
  offer(sdp: string): Promise<string>;
  /** The peer answers our offer. */
  answer(sdp: string): Promise<void>;
  /** Our new offer (an offerless re-INVITE from the peer, a refresh we send). */
  makeOffer(hold?: boolean): Promise<string>;
}

export interface ReferRequest {
  /** Refer-To URI (a blind transfer target). */
  target: Uri;
  referredBy: string | null;
  /** Accept with 202 and report progress with NOTIFY sipfrag (RFC 3515). */
  accept(): ReferProgress;
  reject(status: number, reason?: string): void;
}

export interface ReferProgress {
  /** Sends NOTIFY with `SIP/2.0 <status>`; a final status ends the implicit subscription. */
  notify(status: number, reason?: string): void;
}

export interface DialogLegEvents {
  /** The leg ended: BYE from the peer, our BYE, session expiry, or a failure before answer. */
  ended: [{ cause: EndCause; by: 'remote' | 'local' }];
  /** The peer asks for a blind transfer. */
  refer: [ReferRequest];
  /** A digit by SIP INFO (application/dtmf-relay or application/dtmf). */
  dtmf: [{ digit: string; durationMs: number }];
}

export interface InboundLegEvents extends DialogLegEvents {
  /** The caller cancelled before the answer. */
  cancelled: [];
}

export interface OutboundLegEvents extends DialogLegEvents {
  /** 180/183 (and others 101–199): `sdp` when it carries the callee's (early) answer. */
  provisional: [{ status: number; reason: string; sdp: string | null }];
  /** 2xx: the callee answered. */
  answered: [{ sdp: string | null }];
  /** A final failure (3xx–6xx, timeout, cancel). */
  failed: [{ cause: EndCause }];
}

export interface B2buaSettings {
  /** RFC 4028 session timers on every leg; null disables them. */
  sessionTimer: SessionTimerPolicy | null;
  /** How long an ACK for our 2xx is awaited (RFC 3261 13.3.1.4: 64*T1). */
  t1Ms: number;
  t2Ms: number;
  /** Max-Forwards of requests we originate. */
  maxForwards: number;
  userAgent: string;
}

export const DEFAULT_B2BUA_SETTINGS: B2buaSettings = {
  sessionTimer: { minSE: 90, interval: 1800, prefer: 'uac' },
  t1Ms: 500,
  t2Ms: 4000,
  maxForwards: 70,
  userAgent: 'ccbox',
};

export interface OutboundLegRequest {
  /** Where the INVITE goes (next hop). */
  dest: SipDestination;
  /** Request-URI, e.g. `sip:1002@127.0.0.1:5062` or `sip:02182881882@127.0.0.2:5080`. */
  requestUri: string;
  /** Our identity (From), e.g. `<sip:02088880000@box>` with a display name. */
  from: { uri: string; displayName?: string };
  /** The callee (To). */
  to: { uri: string; displayName?: string };
  /** Extra headers (P-Asserted-Identity, Referred-By, …). */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Our SDP offer (from the media core). */
  offer: string | null;
  /** Max-Forwards: the incoming one decremented, for loops to die (RFC 3261 16.6 step 3). */
  maxForwards?: number;
  /** Answers 401/407 from a carrier that authenticates us (mode b). */
  auth?: { username: string; password: string };
}
