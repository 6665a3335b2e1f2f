// The registrar (RFC 3261 10.3): authenticates REGISTER, then adds, refreshes and removes an
// extension's contacts in the location service, all-or-nothing per request.
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  buildResponse, getCallId, getContacts, getCSeq, getExpires, getTo, isSipUri, newTag, serializeNameAddr, serializeUri,
  SipParseError, type Contact, type ContactStar, type RandomSource, type SipRequest, type SipResponse, type Uri,
} from '../core/index.ts';
import type { SipSource } from '../transport/index.ts';
import type { DigestAuthenticator } from './authenticator.ts';
import type { LocationService } from './location-service.ts';
import type { Binding, RegistrarSettings } from './registrar-types.ts';

export interface RegistrarOptions {
  settings: RegistrarSettings;
  clock: Clock;
  log: Logger;
  random: RandomSource;
  auth: DigestAuthenticator;
  location: LocationService;
}

type Plan = { contact: Contact; uri: string; expires: number }[];

/** What the registrar acts on, read from a REGISTER by either path (full parser or the REGISTER lane). */
export interface RegisterInput {
  to: Uri;
  contacts: Contact[] | ContactStar;
  expires: number | undefined;
  callId: string;
  cseq: number;
  userAgent: string;
}

/** The final answer (the caller builds the response around it). */
export interface RegisterAnswer {
  status: number;
  reason?: string;
  headers: Array<[string, string]>;
}

export class Registrar {
  constructor(private readonly opts: RegistrarOptions) {}

  /** Answers one REGISTER (the caller sends the response back along the Via). */
  handle(req: SipRequest, source: SipSource): SipResponse {
    const reply = (a: RegisterAnswer): SipResponse => buildResponse(req, a.status, { toTag: newTag(this.opts.random), headers: a.headers, reason: a.reason });
    // RFC 3261 10.3 step 3: "the registrar ... SHOULD authenticate the UAC" — before anything that
    // could tell an existing extension from a missing one.
    const auth = this.opts.auth.check(req, source, 'www');
    if (!auth.ok) return reply({ status: auth.status, headers: auth.headers });
    let input: RegisterInput;
    try {
      input = {
        to: getTo(req).uri, contacts: getContacts(req), expires: getExpires(req), cseq: getCSeq(req).seq, callId: getCallId(req),
        userAgent: req.headers.get('User-Agent') ?? '',
      };
    } catch (err) {
      if (err instanceof SipParseError) return reply({ status: 400, reason: err.reason, headers: [] });
      throw err;
    }
    return reply(this.register(input, auth.user, source));
  }

  /** RFC 3261 10.3 steps 4–8 for a REGISTER whose sender authenticated as `user`. */
  register(input: RegisterInput, user: string, source: SipSource): RegisterAnswer {
    // Step 4: "the registrar ... MUST ... determine if the authenticated user is authorized to modify
    // registrations for this address-of-record".
    if (!isSipUri(input.to) || input.to.user !== user) return { status: 403, reason: 'Forbidden (To does not match the authenticated user)', headers: [] };
    const extension = user;
    if (input.contacts === '*') {
      // Step 6: "*" only with Expires: 0 and as the only Contact, else 400.
      if (input.expires !== 0) return { status: 400, reason: 'Contact "*" requires Expires: 0', headers: [] };
      this.opts.location.removeAll(extension, 'unregister');
      this.opts.log.info({ extension, ip: source.ip }, 'SIP phone unregistered all contacts');
      return this.ok(extension);
    }
    const plan = this.plan(input.contacts, input.expires);
    if ('tooBrief' in plan) return { status: 423, headers: [['Min-Expires', String(this.opts.settings.minExpires)]] };
    const err = this.apply(input, source, extension, plan.items);
    if (err) return { ...err, headers: [] };
    return this.ok(extension);
  }

  /** RFC 3261 10.3 step 6–7: each contact's expiry, judged for all of them before any change. */
  private plan(contacts: Contact[], expiresHeader: number | undefined): { items: Plan } | { tooBrief: true } {
    const s = this.opts.settings;
    const items: Plan = [];
    for (const contact of contacts) {
      let expires = contact.expires ?? expiresHeader ?? s.defaultExpires;
      // "If and only if the requested expiration interval is greater than zero AND smaller than one hour
      // AND less than a registrar-configured minimum, the registrar MAY reject the registration with 423".
      if (expires > 0 && expires < s.minExpires) return { tooBrief: true };
      expires = Math.min(expires, s.maxExpires);
      items.push({ contact, uri: serializeUri(contact.uri), expires });
    }
    return { items };
  }

  private apply(input: RegisterInput, source: SipSource, extension: string, plan: Plan): { status: number; reason: string } | undefined {
    const { callId, cseq } = input;
    for (const item of plan) {
      const existing = this.opts.location.get(extension, item.uri);
      // Step 7: same Call-ID with a CSeq not higher than the binding's → "the update MUST be aborted".
      if (existing && existing.callId === callId && cseq <= existing.cseq) return { status: 400, reason: 'Out-of-order REGISTER (CSeq)' };
    }
    const now = this.opts.clock.now();
    const mono = this.opts.clock.monotonic();
    const userAgent = input.userAgent.slice(0, 200);
    let added = 0;
    for (const item of plan) {
      if (item.expires === 0) {
        this.opts.location.remove(extension, item.uri, 'unregister');
        continue;
      }
      const binding: Binding = {
        extension, contactUri: item.uri, contact: item.contact, callId, cseq,
        expiresAtMono: mono + item.expires * 1000, expiresAt: now + item.expires * 1000,
        registeredAt: this.opts.location.get(extension, item.uri)?.registeredAt ?? now,
        source, userAgent,
      };
      if (!this.opts.location.get(extension, item.uri)) added++;
      this.opts.location.put(binding);
    }
    this.evictOverflow(extension);
    // Refreshes come every few minutes from every phone: only new contacts are worth an info line.
    this.opts.log[added ? 'info' : 'debug']({ extension, ip: source.ip, transport: source.transport, contacts: plan.length, userAgent }, 'SIP phone registered');
    return undefined;
  }

  /** More contacts than allowed: the oldest go (a rebooted phone behind NAT leaves its old one behind). */
  private evictOverflow(extension: string): void {
    const live = this.opts.location.lookup(extension).sort((a, b) => a.registeredAt - b.registeredAt);
    for (const b of live.slice(0, Math.max(0, live.length - this.opts.settings.maxContacts))) this.opts.location.remove(extension, b.contactUri, 'removed');
  }

  /** Step 8: 200 with every current contact and its remaining expiry, plus Date. */
  private ok(extension: string): RegisterAnswer {
    const mono = this.opts.clock.monotonic();
    const headers: Array<[string, string]> = this.opts.location.lookup(extension).map((b) => {
      const params = new Map(b.contact.params);
      params.set('expires', String(Math.max(0, Math.round((b.expiresAtMono - mono) / 1000))));
      return ['Contact', serializeNameAddr({ ...b.contact, params })];
    });
    headers.push(['Date', new Date(this.opts.clock.now()).toUTCString()]);
    return { status: 200, headers };
  }
}
