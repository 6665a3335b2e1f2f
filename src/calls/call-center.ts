// The call center on the telephony: inbound numbers routed into their IVR flows, 转人工 through the ACD,
// agents' devices rung by the AgentDialer, and every finished call's record written with its outbox row.
// The box wires it once; the control API acts on calls through it.
import type { Acd } from '../acd/index.ts';
import type { IvrService } from '../ivr/index.ts';
import type { MediaCore } from '../media/index.ts';
import type { WebRtcService } from '../media/webrtc/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { RecordStore, runRetention } from '../records/index.ts';
import { randomInt } from 'node:crypto';
import { AgentDialer } from './agent-dialer.ts';
import { CallActions } from './call-actions.ts';
import { CallNotebook } from './call-notes.ts';
import { IvrCallRouter } from './call-router.ts';
import type { Telephony } from './index.ts';
import { OutboundCalls } from './outbound-calls.ts';
import { OutboundNumbers } from './outbound-numbers.ts';
import { QueueBridge } from './queue-bridge.ts';
import { recordSink, type RecordDirectory } from './record-assembly.ts';
import { CallSettings, promptUses } from './settings/index.ts';
import { InboundPolicy, LAST_OUTBOUND_TTL_MS } from './inbound-policy.ts';
import { InCallServices } from './in-call-services.ts';
import type { LiveCallControlOptions } from './ivr-call-control.ts';
import { PhoneDnd } from './phone-dnd.ts';

export interface CallCenterOptions {
  telephony: Telephony;
  acd: Acd;
  ivr: IvrService;
  /** Renders prompts ahead of playing them. */
  media: Pick<MediaCore, 'renderTts'>;
  db: Database;
  clock: Clock;
  log: Logger;
  /** Browser agents' media, once the realtime part is up (it starts after the web servers). */
  webrtc?: () => WebRtcService | null;
  notifyAgent?: (agentId: number, event: string, data: unknown) => boolean;
}

export interface CallCenter {
  readonly telephony: Telephony;
  readonly acd: Acd;
  readonly dialer: AgentDialer;
  readonly bridge: QueueBridge;
  readonly notebook: CallNotebook;
  readonly records: RecordStore;
  readonly outbound: OutboundCalls;
  readonly outboundNumbers: OutboundNumbers;
  readonly actions: CallActions;
  readonly services: InCallServices;
  readonly directory: RecordDirectory;
  readonly settings: CallSettings;
  readonly ivr: IvrService;
  /** 免打扰 from desk phones: *78/*79 and as-feature-event subscriptions. */
  readonly phoneDnd: PhoneDnd;
  readonly clock: Clock;
  readonly log: Logger;
  stop(): void;
}

const RETENTION_EVERY_MS = 6 * 3600_000;

function acdDirectory(acd: Acd): RecordDirectory {
  return {
    agentOfExtension: (ext) => {
      const pid = acd.directory.phonesByExtension.get(ext);
      const agentId = pid !== undefined ? acd.directory.phones.get(pid)?.agentId : undefined;
      const a = agentId != null ? acd.directory.agents.get(agentId) : undefined;
      return a ? { agentId: a.id, name: a.name, staffNo: a.staffNo } : null;
    },
    agentGroups: (agentId) => [...(acd.directory.agents.get(agentId)?.groups.keys() ?? [])],
    groupName: (id) => acd.directory.groups.get(id)?.name ?? null,
  };
}

export function startCallCenter(o: CallCenterOptions): CallCenter {
  const log = o.log.child({ part: 'call-center' });
  const { calls, b2bua, trunks } = o.telephony;
  const notebook = new CallNotebook();
  const dialer = new AgentDialer({
    calls, b2bua, stack: b2bua.env.stack, trunks, acd: o.acd, notebook, clock: o.clock, log,
    ...(o.webrtc ? { webrtc: o.webrtc } : {}), ...(o.notifyAgent ? { notifyAgent: o.notifyAgent } : {}),
  });
  const settings = new CallSettings(o.db, () => o.clock.now());
  // A prompt file the call settings use cannot be deleted from the library (409 naming the setting).
  const dropPromptUsers = o.ivr.prompts.addUsers((id) => promptUses(settings, id));
  let policy: InboundPolicy | null = null;
  const bridge = new QueueBridge({ acd: o.acd, dialer, notebook, clock: o.clock, log, afterAgent: (c, n, i) => policy?.afterAgent(c, n, i) ?? Promise.resolve(false) });
  const renderTts: NonNullable<LiveCallControlOptions['renderTts']> = (text, voice, law) => o.media.renderTts(text, { ...(voice ? { voice } : {}), law });
  const promptPath = (id: string): string => o.ivr.prompts.path(id);
  const router = new IvrCallRouter({ ivr: o.ivr, bridge, notebook, clock: o.clock, log, renderTts });
  policy = new InboundPolicy({ settings, router, bridge, acd: o.acd, notebook, clock: o.clock, log, promptPath, renderTts });
  const records = new RecordStore(o.db);
  const directory = acdDirectory(o.acd);
  const outboundNumbers = new OutboundNumbers(o.db);
  const outbound = new OutboundCalls({
    calls, b2bua, stack: b2bua.env.stack, trunks, store: o.telephony.store, acd: o.acd, numbers: outboundNumbers, notebook, clock: o.clock, log,
    random: () => randomInt(0, 2 ** 32) / 2 ** 32, settings, promptPath, renderTts, ...(o.webrtc ? { webrtc: o.webrtc } : {}), ...(o.notifyAgent ? { notifyAgent: o.notifyAgent } : {}),
  });
  const actions = new CallActions({ calls, b2bua, acd: o.acd, dialer, bridge, outbound, notebook, clock: o.clock, log, settings, promptPath, ...(o.notifyAgent ? { notifyAgent: o.notifyAgent } : {}) });
  const services = new InCallServices({
    actions, dialer, bridge, outbound, settings, ivr: o.ivr, clock: o.clock, log, promptPath, renderTts, ...(o.notifyAgent ? { notifyAgent: o.notifyAgent } : {}),
  });
  calls.setInboundRouter(policy.route);
  // A desk phone's own outside call shows a number by the same rules as the API's.
  calls.setCallerIdPolicy(async ({ extension, dialled, candidates }) => {
    const agent = extension ? directory.agentOfExtension(extension) : null;
    // 外呼指定分配 remembers who called the customer (answered or not: a missed call is what gets called back).
    if (agent) void settings.rememberOutbound(dialled, agent.agentId).catch((err: unknown) => log.warn({ err }, 'could not remember the outbound agent'));
    return outbound.callerIdFor(agent?.agentId ?? null, dialled, candidates);
  });
  calls.setRecordSink(recordSink(records, notebook, directory, o.clock));
  const phoneDnd = new PhoneDnd({ acd: o.acd, calls, stack: b2bua.env.stack, notebook, clock: o.clock, log, promptPath, renderTts });
  phoneDnd.start();
  o.acd.attachDialer(dialer);
  // Whatever ended the call, the ACD hears of it (queued → abandoned; an agent's call → 话后整理).
  const onEnded = ({ call }: { call: { id: string } }): void => void o.acd.callEnded(call.id);
  calls.on('call-ended', onEnded);
  // Records and recordings past their retention go a few times a day, in small batches.
  const retention = o.clock.setInterval(() => {
    // 外呼指定分配 forgets outbound calls older than its 3 days.
    void settings.purgeOutbound(o.clock.now() - LAST_OUTBOUND_TTL_MS).catch((err: unknown) => log.warn({ err }, 'could not purge old outbound agents'));
    void runRetention(o.db, o.clock.now(), { log }).then(
      (r) => (r.records || r.files ? log.info(r, 'old call records and recordings deleted') : undefined),
      (err: unknown) => log.error({ err }, 'retention job failed'),
    );
  }, RETENTION_EVERY_MS);
  return {
    telephony: o.telephony, acd: o.acd, dialer, bridge, notebook, records, directory, outbound, outboundNumbers, actions, services, settings, ivr: o.ivr, phoneDnd, clock: o.clock, log,
    stop: () => {
      phoneDnd.stop();
      dropPromptUsers();
      o.clock.clearInterval(retention);
      calls.off('call-ended', onEnded);
      calls.setInboundRouter(null);
      calls.setCallerIdPolicy(null);
      o.acd.attachDialer(null);
    },
  };
}
