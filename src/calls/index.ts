// Public face of calls: the Calls manager and its record/event types, routing rules, and the box's
// telephony (channels, trunks, B2BUA and calls started together on the SIP stack and the media core).
import { randomInt } from 'node:crypto';
import type { MediaCore } from '../media/core/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { BoxKey } from '../platform/secrets.ts';
import { B2bua, type B2buaSettings } from '../sip/b2bua/index.ts';
import type { SipStack } from '../sip/index.ts';
import { ChannelStore, Trunks, type TrunkSettings } from '../sip/trunks/index.ts';
import { Calls } from './calls.ts';
import type { CallsSettings } from './call-types.ts';
import { seedDemoTrunk } from './demo-seed.ts';

export type * from './call-types.ts';
export { DEFAULT_CALLS_SETTINGS } from './call-types.ts';
export { Calls, type CallsOptions } from './calls.ts';
export { Call, type CallLeg } from './call.ts';
export { Ringer, pickFailure, type RingTarget, type RingOptions } from './ringer.ts';
export { classifyDialled, outboundVerdict, trunkTarget, type DialledKind, type DialledNumber, type OutboundVerdict, type TrunkTarget } from './routing.ts';
export { DEMO_TRUNK, seedDemoTrunk } from './demo-seed.ts';
export { startCallCenter, type CallCenter, type CallCenterOptions } from './call-center.ts';
export { AgentDialer, type AgentSession, type SessionEnd } from './agent-dialer.ts';
export { CallNotebook, type CallNotes, type AgentTalk } from './call-notes.ts';
export { LiveCallControl } from './ivr-call-control.ts';
export { QueueBridge, type Handoff } from './queue-bridge.ts';
export { IvrCallRouter } from './call-router.ts';
export { buildRecordInput, recordSink, type RecordDirectory } from './record-assembly.ts';
export { CallActions, type TransferTarget } from './call-actions.ts';
export { OutboundCalls, type OutboundStarted } from './outbound-calls.ts';
export { OutboundNumbers } from './outbound-numbers.ts';
export { pickCallerId, regionOf, provinceOf, type CallerIdInput } from './caller-id.ts';
export { dialLeg, type DialLegOptions, type DialLegOutcome } from './dial-leg.ts';
export { dialOutside, outboundCapableNumbers } from './dial-outside.ts';

export interface Telephony {
  store: ChannelStore;
  trunks: Trunks;
  b2bua: B2bua;
  calls: Calls;
  stop(): Promise<void>;
}

export interface TelephonyOptions {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Database;
  key: BoxKey;
  sip: SipStack;
  media: MediaCore;
  /** The box's stop list: telephony stops (calls hung up, carriers unregistered) before SIP does. */
  stops?: (() => Promise<void>)[];
  settings?: { trunks?: Partial<TrunkSettings>; b2bua?: Partial<B2buaSettings>; calls?: Partial<CallsSettings> };
}

const running = new WeakMap<SipStack, Telephony>();

/** The telephony running on a SIP stack (for the web routes and for parts wired after it, like the IVR). */
export function telephonyOf(sip: SipStack | undefined): Telephony | undefined {
  return sip ? running.get(sip) : undefined;
}

/**
 * Starts channels and calls on the running SIP stack: the demo trunk seeded in the demo profile, trunks
 * registered and trusted, the B2BUA on the stack's hooks, every new INVITE handed to Calls.
 */
export async function startTelephony(o: TelephonyOptions): Promise<Telephony> {
  const random = (): number => randomInt(0, 2 ** 32) / 2 ** 32;
  const store = new ChannelStore(o.db, o.key);
  if (o.config.profile === 'demo') await seedDemoTrunk(o.db);
  const trunks = new Trunks({ stack: o.sip, store, clock: o.clock, log: o.log, random, ...(o.settings?.trunks ? { settings: o.settings.trunks } : {}) });
  await trunks.start();
  let calls: Calls | undefined;
  const b2bua = new B2bua({
    stack: o.sip, clock: o.clock, log: o.log, random, ...(o.settings?.b2bua ? { settings: o.settings.b2bua } : {}),
    identifyTrunk: (req, source) => {
      const ch = trunks.identify(req, source);
      return ch ? { channelId: ch.id, channelName: ch.name } : undefined;
    },
    onIncoming: (ic) => calls!.handleIncoming(ic),
  });
  calls = new Calls({ clock: o.clock, log: o.log, media: o.media, b2bua, stack: o.sip, trunks, store, ...(o.settings?.calls ? { settings: o.settings.calls } : {}) });
  b2bua.install();
  const telephony: Telephony = {
    store, trunks, b2bua, calls,
    stop: async () => {
      running.delete(o.sip);
      await calls!.stop();
      await trunks.stop();
    },
  };
  running.set(o.sip, telephony);
  o.stops?.unshift(() => telephony.stop());
  o.log.info({ channels: trunks.list().length }, 'telephony is up');
  return telephony;
}
