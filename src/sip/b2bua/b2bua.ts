// The B2BUA on the SIP stack's hooks: new INVITEs are checked (482 loops, 483 Max-Forwards), their
// origin decided (a recognised channel, else a phone that must authenticate: 407), and handed to the
// call side as an inbound leg; in-dialog requests, ACKs and CANCELs reach the leg that owns the dialog.
import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  buildResponse, dialogIdOfRequest, dialogKey, getFrom, getMaxForwards, getPAssertedIdentities, getTo, getVias, isSipUri, isTelUri, newTag,
  type InviteServerTransaction, type RandomSource, type SipRequest, type Uri,
} from '../core/index.ts';
import type { IncomingRequest, SipSource, SipStack } from '../index.ts';
import { DEFAULT_B2BUA_SETTINGS, type B2buaSettings, type CallOrigin, type OutboundLegRequest } from './b2bua-types.ts';
import { safe } from './dialog-leg.ts';
import { InboundLeg } from './inbound-leg.ts';
import type { DialogTarget, LegEnv } from './leg-env.ts';
import { OutboundLeg } from './outbound-leg.ts';

export interface IncomingCall {
  leg: InboundLeg;
  origin: CallOrigin;
  /** Who is called: the Request-URI user (a number or an extension). */
  dialled: string;
  /** The To user: some carriers keep the called number there and route by the registered contact's user. */
  toUser: string;
  /** The calling party: the authenticated extension of a phone, the asserted (or From) user of a trunk. */
  caller: string;
  callerName: string | null;
  /** For onward legs: the incoming Max-Forwards minus one (RFC 3261 16.6 step 3). */
  maxForwards: number;
}

export interface B2buaOptions {
  stack: SipStack;
  clock: Clock;
  log: Logger;
  random?: RandomSource;
  settings?: Partial<B2buaSettings>;
  /** The channel a request came in on, or undefined for anyone else (who must then authenticate as a phone). */
  identifyTrunk(req: SipRequest, source: SipSource): { channelId: number; channelName: string } | undefined;
  /** A new call: the handler answers, forwards or rejects the leg. */
  onIncoming(call: IncomingCall): void;
}

const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** The user part of a SIP URI, or the number of a tel URI. */
export function userOf(uri: Uri): string {
  if (isSipUri(uri)) return uri.user ?? '';
  if (isTelUri(uri)) return uri.number.replace(/[-.()\s]/g, '');
  return '';
}

export class B2bua {
  readonly env: LegEnv;
  private readonly dialogs = new Map<string, DialogTarget>();
  private readonly cancels = new WeakMap<InviteServerTransaction, (cancel: SipRequest) => void>();
  private readonly branches = new Set<string>();
  private readonly log: Logger;

  constructor(private readonly opts: B2buaOptions) {
    this.log = opts.log.child({ part: 'b2bua' });
    const random = opts.random ?? cryptoRandom;
    this.env = {
      stack: opts.stack, clock: opts.clock, random, log: this.log, settings: { ...DEFAULT_B2BUA_SETTINGS, ...opts.settings },
      bind: (key, leg) => this.dialogs.set(key, leg),
      unbind: (key) => this.dialogs.delete(key),
      onCancel: (tx, fn) => this.cancels.set(tx, fn),
      trackBranch: (branch, on) => (on ? this.branches.add(branch) : this.branches.delete(branch)),
    };
  }

  get dialogCount(): number {
    return this.dialogs.size;
  }

  install(): void {
    this.opts.stack.setHooks({
      onInvite: (ctx) => this.onInvite(ctx),
      onRequest: (ctx) => this.onRequest(ctx),
      onCancel: (invite, cancel) => this.onCancel(invite, cancel),
    });
  }

  /** A new outbound leg (not started: wire its events, then call start()). */
  dial(req: OutboundLegRequest): OutboundLeg {
    return new OutboundLeg(this.env, req);
  }

  private onInvite(ctx: IncomingRequest): void {
    const req = ctx.request;
    try {
      if (getTo(req).tag !== undefined) {
        const leg = this.dialogs.get(dialogKey(dialogIdOfRequest(req)));
        if (!leg) return void ctx.reply(481);
        return leg.receive(ctx);
      }
      // Our own INVITE came back to us (box → carrier → box): RFC 3261 8.2.2.2 "482 (Loop Detected)".
      if (getVias(req).some((v) => v.branch !== undefined && this.branches.has(v.branch))) return void ctx.reply(482);
      // RFC 3261 16.3 step 3 for what we forward: Max-Forwards 0 → 483 (Too Many Hops).
      const maxForwards = getMaxForwards(req) ?? 70;
      if (maxForwards <= 0) return void ctx.reply(483);
      if (req.headers.has('Replaces')) return void ctx.reply(481, { reason: 'Replaces not supported here' });
      const trunk = this.opts.identifyTrunk(req, ctx.source);
      let origin: CallOrigin;
      let caller: string;
      let callerName: string | null;
      if (trunk) {
        origin = { kind: 'trunk', ...trunk };
        // RFC 3325: a carrier we trust asserts the caller; otherwise the From.
        const pai = safe(() => getPAssertedIdentities(req)[0], undefined);
        const from = getFrom(req);
        caller = userOf((pai ?? from).uri);
        callerName = (pai ?? from).displayName ?? null;
      } else {
        const auth = ctx.authenticate('proxy');
        if (!auth.ok) return;
        origin = { kind: 'phone', extension: auth.user };
        caller = auth.user;
        callerName = getFrom(req).displayName ?? null;
      }
      const toUser = userOf(getTo(req).uri);
      const dialled = userOf(req.uri) || toUser;
      const leg = new InboundLeg(this.env, ctx);
      this.opts.onIncoming({ leg, origin, dialled, toUser, caller, callerName, maxForwards: maxForwards - 1 });
    } catch (err) {
      this.log.error({ err }, 'INVITE handling failed');
      if (ctx.transaction?.state === 'proceeding') ctx.reply(500);
    }
  }

  private onRequest(ctx: IncomingRequest): boolean {
    const req = ctx.request;
    let key: string;
    try {
      if (req.method !== 'ACK' && getTo(req).tag === undefined) return false;
      key = dialogKey(dialogIdOfRequest(req));
    } catch {
      return false;
    }
    const leg = this.dialogs.get(key);
    if (req.method === 'ACK') {
      leg?.onAck(req);
      return true;
    }
    if (!leg) return false;
    try {
      leg.receive(ctx);
    } catch (err) {
      this.log.error({ err, method: req.method }, 'in-dialog request failed');
      ctx.reply(500);
    }
    return true;
  }

  private onCancel(invite: InviteServerTransaction, cancel: SipRequest): void {
    const fn = this.cancels.get(invite);
    if (fn) return fn(cancel);
    // A re-INVITE (or an INVITE no leg took): RFC 3261 9.2, 487 to the INVITE.
    if (invite.state === 'proceeding') invite.respond(buildResponse(invite.request, 487, { toTag: invite.toTag ?? newTag(this.env.random) }));
  }
}
