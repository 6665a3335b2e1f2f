// The box as notifier of the as-feature-event package (BroadWorks device feature key synchronisation, used
// by Yealink/Fanvil "DND feature key sync"): a registered phone subscribes for its own extension, every
// SUBSCRIBE (new, refresh, or carrying SetDoNotDisturb) is digest-authenticated like the phone's other
// requests, and each answer is followed by a NOTIFY with the DoNotDisturbEvent the box decided (RFC 6665).
import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  buildResponse, Dialog, dialogIdOfRequest, dialogKey, getEvent, getExpires, getTo, isSipUri, newTag, type RandomSource, type SipRequest, type SipResponse,
} from '../core/index.ts';
import type { IncomingRequest, SipDestination, SipStack } from '../index.ts';
import { doNotDisturbEvent, FEATURE_EVENT, FEATURE_EVENT_TYPE, parseFeatureRequest } from './feature-event-body.ts';

export interface FeatureSyncSettings {
  /** Longest subscription granted (Expires above is lowered). */
  maxExpires: number;
  /** Shortest accepted (RFC 6665 4.2.1.1: below it, 423 with Min-Expires). */
  minExpires: number;
  /** Subscriptions kept per extension; a phone that re-subscribes after a reboot replaces its oldest. */
  maxPerExtension: number;
}

export const DEFAULT_FEATURE_SYNC: FeatureSyncSettings = { maxExpires: 3600, minExpires: 60, maxPerExtension: 4 };

/** The box's side of DND, supplied by the call side (the ACD lives there). */
export interface DndKeeper {
  /** The extension's DND, or null when the phone has nothing to sync (bound to no agent and no group). */
  dndOf(extension: string): boolean | null;
  /** The phone asks for DND on/off; resolves with the state the box settled on. */
  setDnd(extension: string, dnd: boolean): Promise<boolean>;
}

export interface FeatureSyncOptions {
  stack: SipStack;
  clock: Clock;
  log: Logger;
  keeper: DndKeeper;
  random?: RandomSource;
  settings?: Partial<FeatureSyncSettings>;
}

interface Subscription {
  extension: string;
  dialog: Dialog;
  dest: SipDestination;
  /** The device id the phone uses in its bodies (echoed in ours); the extension until it sends one. */
  device: string;
  expiresAt: number;
  timer: TimerHandle | undefined;
}

const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

export class FeatureSyncServer {
  private readonly subs = new Map<string, Subscription>();
  private readonly settings: FeatureSyncSettings;
  private readonly random: RandomSource;
  private readonly log: Logger;
  private detach: (() => void) | null = null;

  constructor(private readonly o: FeatureSyncOptions) {
    this.settings = { ...DEFAULT_FEATURE_SYNC, ...o.settings };
    this.random = o.random ?? cryptoRandom;
    this.log = o.log.child({ part: 'feature-sync' });
  }

  /** Takes SUBSCRIBEs for as-feature-event from the stack (before the B2BUA sees them). */
  install(): void {
    this.detach ??= this.o.stack.addRequestHandler((ctx) => this.onRequest(ctx));
  }

  /** Stops taking requests and forgets every subscription (no NOTIFY: the box is stopping). */
  stop(): void {
    this.detach?.();
    this.detach = null;
    for (const s of this.subs.values()) this.o.clock.clearTimeout(s.timer);
    this.subs.clear();
  }

  /** Subscriptions currently held for an extension. */
  subscriptionCount(extension?: string): number {
    return [...this.subs.values()].filter((s) => extension === undefined || s.extension === extension).length;
  }

  /** The extension's DND changed elsewhere: every phone subscribed for it hears the new state. */
  publish(extension: string, dnd: boolean): void {
    for (const s of this.subs.values()) if (s.extension === extension) this.notify(s, dnd);
  }

  private onRequest(ctx: IncomingRequest): boolean {
    const req = ctx.request;
    if (req.method !== 'SUBSCRIBE') return false;
    let event: string | undefined;
    let inDialog: boolean;
    try {
      event = getEvent(req)?.event;
      inDialog = getTo(req).tag !== undefined;
    } catch {
      return false;
    }
    if (event !== FEATURE_EVENT) return false;
    const existing = inDialog ? this.subs.get(dialogKey(dialogIdOfRequest(req))) : undefined;
    // RFC 6665 4.2.1.2 / RFC 3261 12.2.2: a refresh for a subscription we do not hold.
    if (inDialog && !existing) return false;
    void this.handle(ctx, existing).catch((err: unknown) => {
      this.log.error({ err }, 'as-feature-event SUBSCRIBE failed');
      ctx.reply(500);
    });
    return true;
  }

  private async handle(ctx: IncomingRequest, existing: Subscription | undefined): Promise<void> {
    const req = ctx.request;
    // Same challenge as any other request from a phone (no enumeration, same defences).
    const auth = ctx.authenticate('www');
    if (!auth.ok) return;
    const extension = auth.user;
    if (existing ? existing.extension !== extension : !this.forSelf(req, extension)) return void ctx.reply(403, { reason: 'Only your own extension' });
    if (!this.o.stack.location.hasBindingFrom(extension, ctx.source.ip)) return void ctx.reply(403, { reason: 'Register first' });
    if (this.o.keeper.dndOf(extension) === null) return void ctx.reply(403, { reason: 'No agent or group on this phone' });
    if (existing) {
      const check = existing.dialog.receiveRequest(req);
      if (!check.ok) return void ctx.reply(check.status, { reason: check.reason });
    }
    const accept = req.headers.get('Accept');
    if (accept && !accept.toLowerCase().includes(FEATURE_EVENT_TYPE) && !accept.includes('*/*')) {
      return void ctx.reply(406, { headers: [['Accept', FEATURE_EVENT_TYPE]] });
    }
    let expires = getExpires(req) ?? this.settings.maxExpires;
    if (expires > 0 && expires < this.settings.minExpires) return void ctx.reply(423, { headers: [['Min-Expires', String(this.settings.minExpires)]] });
    expires = Math.min(expires, this.settings.maxExpires);
    const body = parseFeatureRequest(req.body);
    if (body.kind === 'invalid') return void ctx.reply(400, { reason: body.reason });
    if (body.kind === 'unsupported') return void ctx.reply(501, { reason: `${body.root} not supported` });

    let dnd = this.o.keeper.dndOf(extension) ?? false;
    if (body.kind === 'dnd') {
      dnd = await this.o.keeper.setDnd(extension, body.dnd);
      this.log.info({ extension, requested: body.dnd, dnd }, 'DND set from the phone (as-feature-event)');
    }
    const sub = existing ?? this.create(ctx, extension);
    if (body.kind === 'dnd' && body.device) sub.device = body.device;
    ctx.sendResponse(this.okResponse(req, sub, expires));
    if (expires === 0) {
      this.drop(sub);
      return this.notify(sub, dnd, 'terminated;reason=timeout');
    }
    this.arm(sub, expires);
    // The state after a SetDoNotDisturb goes to every subscription of the extension (other dialogs too).
    if (body.kind === 'dnd') this.publish(extension, dnd);
    else this.notify(sub, dnd);
  }

  /** The subscription is for the authenticated extension itself (Request-URI user, else To user). */
  private forSelf(req: SipRequest, extension: string): boolean {
    const user = isSipUri(req.uri) && req.uri.user ? req.uri.user : (() => {
      const to = getTo(req).uri;
      return isSipUri(to) ? to.user : undefined;
    })();
    return user === extension;
  }

  private create(ctx: IncomingRequest, extension: string): Subscription {
    const dest: SipDestination = {
      transport: ctx.source.transport, ip: ctx.source.ip, port: ctx.source.port, ...(ctx.source.connectionId ? { connectionId: ctx.source.connectionId } : {}),
    };
    const a = this.o.stack.advertisedFor(dest);
    const contact = `<sip:ccbox@${a.host}:${a.port}${dest.transport === 'udp' ? '' : `;transport=${dest.transport}`}>`;
    const dialog = Dialog.fromUasRequest(ctx.request, newTag(this.random), { localContact: contact }, 'confirmed');
    const sub: Subscription = { extension, dialog, dest, device: extension, expiresAt: 0, timer: undefined };
    const mine = [...this.subs.values()].filter((s) => s.extension === extension);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.settings.maxPerExtension + 1))) this.drop(old);
    this.subs.set(dialog.key, sub);
    return sub;
  }

  /** RFC 6665 4.2.1.1: 200 with the granted Expires; our To tag and Contact make the dialog. */
  private okResponse(req: SipRequest, sub: Subscription, expires: number): SipResponse {
    return buildResponse(req, 200, { toTag: sub.dialog.id.localTag, headers: [['Contact', sub.dialog.localContact], ['Expires', String(expires)]] });
  }

  private arm(sub: Subscription, expires: number): void {
    this.o.clock.clearTimeout(sub.timer);
    sub.expiresAt = this.o.clock.now() + expires * 1000;
    // RFC 6665 4.2.2: at expiry the notifier ends the subscription with a final NOTIFY.
    sub.timer = this.o.clock.setTimeout(() => {
      if (this.subs.get(sub.dialog.key) !== sub) return;
      this.drop(sub);
      this.notify(sub, this.o.keeper.dndOf(sub.extension) ?? false, 'terminated;reason=timeout');
    }, expires * 1000);
  }

  private drop(sub: Subscription): void {
    this.o.clock.clearTimeout(sub.timer);
    if (this.subs.get(sub.dialog.key) === sub) this.subs.delete(sub.dialog.key);
  }

  private notify(sub: Subscription, dnd: boolean, state?: string): void {
    const left = Math.max(0, Math.ceil((sub.expiresAt - this.o.clock.now()) / 1000));
    const req = sub.dialog.createRequest('NOTIFY', {
      headers: [['Event', FEATURE_EVENT], ['Subscription-State', state ?? `active;expires=${left}`]],
      contentType: FEATURE_EVENT_TYPE,
      body: doNotDisturbEvent(sub.device, dnd),
    });
    this.o.stack.sendRequest(req, sub.dest, {
      onResponse: (res) => {
        // RFC 6665 4.2.2: a 481 (or other failure) to a NOTIFY ends the subscription.
        if (res.status >= 300) this.drop(sub);
      },
      onTimeout: () => this.drop(sub),
      onTransportError: () => this.drop(sub),
    });
  }
}
