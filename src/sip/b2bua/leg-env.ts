// What a leg needs from the B2BUA around it: the SIP stack, time, the dialog table (so in-dialog requests
// reach it), and the small helpers every leg shares (our Contact, a request as a promise, 2xx retransmission).
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  getTopVia, type ClientTransaction, type InviteServerTransaction, type RandomSource, type SipRequest, type SipResponse,
} from '../core/index.ts';
import { toPeer, type IncomingRequest, type SipDestination, type SipStack } from '../index.ts';
import type { B2buaSettings } from './b2bua-types.ts';

/** A leg as the dialog table knows it. */
export interface DialogTarget {
  receive(ctx: IncomingRequest): void;
  onAck(ack: SipRequest): void;
}

export interface LegEnv {
  stack: SipStack;
  clock: Clock;
  random: RandomSource;
  log: Logger;
  settings: B2buaSettings;
  /** In-dialog requests with this dialog key go to `leg`. */
  bind(key: string, leg: DialogTarget): void;
  unbind(key: string): void;
  /** A CANCEL matching this INVITE server transaction goes to `fn`. */
  onCancel(tx: InviteServerTransaction, fn: (cancel: SipRequest) => void): void;
  /** Branches of INVITEs we sent: seeing one come back is a loop (482). */
  trackBranch(branch: string, on: boolean): void;
}

/** `<sip:ccbox@host:port;transport=tcp>`: our Contact as the peer at `dest` must see it. */
export function contactFor(env: LegEnv, dest: SipDestination, user = 'ccbox'): string {
  const a = env.stack.advertisedFor(dest);
  return `<sip:${user}@${a.host}:${a.port}${dest.transport === 'udp' ? '' : `;transport=${dest.transport}`}>`;
}

export class SipRequestFailed extends Error {
  constructor(readonly kind: 'timeout' | 'transport', message: string) {
    super(message);
  }
}

/** Sends a non-INVITE request in a client transaction; resolves with its final response. */
export function requestFinal(env: LegEnv, req: SipRequest, dest: SipDestination): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    env.stack.sendRequest(req, dest, {
      onResponse: (res) => res.status >= 200 && resolve(res),
      onTimeout: () => reject(new SipRequestFailed('timeout', `${req.method} timed out`)),
      onTransportError: (e) => reject(new SipRequestFailed('transport', String(e))),
    });
  });
}

/** Sends an INVITE; `onResponse` sees every response (2xx retransmissions too, to re-ACK). */
export function sendInvite(env: LegEnv, req: SipRequest, dest: SipDestination, user: { onResponse(res: SipResponse): void; onTimeout(): void }): ClientTransaction {
  const tx = env.stack.sendRequest(req, dest, { onResponse: (r) => user.onResponse(r), onTimeout: () => user.onTimeout(), onTransportError: () => user.onTimeout() });
  return tx;
}

/** The ACK for a 2xx is sent outside any transaction (RFC 3261 13.2.2.4). */
export function sendAck(env: LegEnv, ack: SipRequest, dest: SipDestination): void {
  env.stack.transactions.sendStateless(ack, toPeer(dest));
}

export function branchOf(req: SipRequest): string | undefined {
  try {
    return getTopVia(req).branch;
  } catch {
    return undefined;
  }
}

/**
 * RFC 3261 13.3.1.4: "the 2xx response is passed to the transport with an interval that starts at T1
 * seconds and doubles for each retransmission until it reaches T2 seconds ... If the server retransmits
 * the 2xx response for 64*T1 seconds without receiving an ACK, the dialog is confirmed, but the session
 * SHOULD be terminated." On a reliable transport the transport itself is trusted (no retransmission).
 */
export class TwoXxRetransmitter {
  private timer: TimerHandle | undefined;
  private giveUp: TimerHandle | undefined;
  private interval: number;
  done = false;

  constructor(
    private readonly env: LegEnv,
    private readonly tx: InviteServerTransaction,
    private readonly res: SipResponse,
    readonly cseq: number,
    private readonly onNoAck: () => void,
  ) {
    this.interval = env.settings.t1Ms;
    if (!tx.reliable) this.arm();
    this.giveUp = env.clock.setTimeout(() => {
      if (this.done) return;
      this.stop();
      onNoAck();
    }, 64 * env.settings.t1Ms);
  }

  private arm(): void {
    this.timer = this.env.clock.setTimeout(() => {
      if (this.done || this.tx.state !== 'accepted') return;
      this.tx.respond(this.res);
      this.interval = Math.min(this.interval * 2, this.env.settings.t2Ms);
      this.arm();
    }, this.interval);
  }

  stop(): void {
    this.done = true;
    this.env.clock.clearTimeout(this.timer);
    this.env.clock.clearTimeout(this.giveUp);
  }
}
