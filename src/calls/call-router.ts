// The routing hook for inbound trunk calls: the called number's bound IVR flow (the newest published
// revision of the bound version, frozen for this call) runs on the real call through LiveCallControl;
// numbers without a flow fall back to the channel's default extension (null).
import { IvrInterpreter, type IvrService } from '../ivr/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { CallNotebook } from './call-notes.ts';
import type { ActiveCall, InboundCallInfo, InboundRoute, InboundRouter } from './call-types.ts';
import { LiveCallControl, type LiveCallControlOptions } from './ivr-call-control.ts';
import type { QueueBridge } from './queue-bridge.ts';

export interface CallRouterOptions {
  ivr: Pick<IvrService, 'snapshotForNumber' | 'prompts' | 'timeZone' | 'speech'>;
  bridge: QueueBridge;
  notebook: CallNotebook;
  clock: Clock;
  log: Logger;
  renderTts?: LiveCallControlOptions['renderTts'];
}

export class IvrCallRouter {
  constructor(private readonly o: CallRouterOptions) {}

  route: InboundRouter = async (info: InboundCallInfo): Promise<InboundRoute | null> => {
    const snapshot = await this.o.ivr.snapshotForNumber(info.number);
    if (!snapshot) return null;
    return { kind: 'handle', run: (call) => this.run(call, info, snapshot) };
  };

  private async run(call: ActiveCall, info: InboundCallInfo, snapshot: NonNullable<Awaited<ReturnType<IvrService['snapshotForNumber']>>>): Promise<void> {
    const notes = this.o.notebook.of(call.id);
    notes.viaIvr = true;
    notes.phase = 'ivr';
    const control = new LiveCallControl({
      call, clock: this.o.clock, log: this.o.log, notes,
      transferToQueue: this.o.bridge.transfer,
      promptPath: (id) => this.o.ivr.prompts.path(id),
      ...(this.o.renderTts ? { renderTts: this.o.renderTts } : {}),
      ...(this.o.ivr.speech ? { speech: this.o.ivr.speech } : {}),
      variables: {
        SystemCallerNumber: info.caller, SystemCalleeNumber: info.number, SystemSessionId: call.id,
        SystemCallRingDuration: '0', SystemCallAcceptDuration: '0', WaitNo: '', StaffNo: '',
      },
    });
    const interpreter = new IvrInterpreter(snapshot, control, { clock: this.o.clock, log: this.o.log, timeZone: this.o.ivr.timeZone });
    // The trace object fills in as the flow runs: a record written before the flow noticed a hang-up still has the path.
    notes.ivr = interpreter.trace;
    try {
      await interpreter.run();
    } finally {
      control.dispose();
    }
  }
}
