// The REGISTER lane: a plain REGISTER over UDP (core/register-scan.ts) is answered from its raw bytes,
// without the general parser, the RFC 3261 8.2 checks it would pass anyway, or a server transaction
// with its timers — the bulk of a registrar's traffic at a fraction of the work. The registrar, the
// digest check, the defences and the location service are the same objects the full stack uses.
//
// What a server transaction would give is kept: a retransmission (same branch and sent-by, RFC 3261
// 17.2.3) within Timer J (64·T1 = 32 s) gets the answer given before — not a new challenge, not a
// nonce-count replay, not a second counted failure.
//
// The work splits in two (lane-plain.ts): reading, hashing and writing are pure and may run on a lane
// worker (lane-workers.ts); `decide` — defences, the remembered answers, the replay check, the registrar —
// runs here, on the thread that owns that state.
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { newTag, type RandomSource } from '../core/index.ts';
import type { Admission, GateInput } from '../defence/index.ts';
import type { SipDestination, SipSource } from '../transport/index.ts';
import type { DigestAuthenticator } from './authenticator.ts';
import type { DigestFinding } from './digest-verifier.ts';
import { answerBytes, readPlainRegister, type LaneJob, type LaneVerdict } from './lane-plain.ts';
import type { RegisterAnswer, Registrar } from './registrar.ts';

/** Timer J for UDP (RFC 3261 17.2.2): how long an answered request is recognised when retransmitted. */
const TIMER_J_MS = 32_000;
/** At most this many answers are remembered; under a flood the oldest go before Timer J. */
const MAX_REMEMBERED = 65_536;

export interface RegisterLaneOptions {
  registrar: Registrar;
  auth: DigestAuthenticator;
  admit: (gate: GateInput) => Admission;
  clock: Clock;
  log: Logger;
  random: RandomSource;
  /** Sends the answer from the socket bound to `fromIp`. */
  send: (bytes: Buffer, dest: SipDestination, fromIp: string) => void;
}

export class RegisterLane {
  private readonly answered = new Map<string, { at: number; verdict: LaneVerdict }>();
  /** Keys of `answered` in the order they were answered. */
  private readonly ring = { keys: new Array<string | undefined>(MAX_REMEMBERED), ats: new Float64Array(MAX_REMEMBERED), head: 0, size: 0 };
  /** REGISTERs judged (retransmissions answered from memory not counted). */
  handled = 0;

  constructor(private readonly opts: RegisterLaneOptions) {}

  /** Answers the datagram when it is a plain REGISTER (or drops it for the defences); false leaves it to the full stack. */
  take(data: Buffer, source: SipSource): boolean {
    const read = readPlainRegister(data, source);
    if (!read) return false;
    const verdict = this.decide(read.job, () => this.opts.auth.verifier.verify(read.credentials, 'REGISTER', this.opts.clock.now()));
    if ('drop' in verdict) return true;
    const { bytes, dest } = answerBytes(read, verdict);
    this.opts.send(bytes, dest, source.localIp);
    return true;
  }

  /**
   * The answer to a plain REGISTER read here or on a lane worker: the defences first, then a retransmission
   * is answered as before, then the digest finding (or its computation, deferred past the defences) is
   * concluded and the registrar acts.
   */
  decide(job: LaneJob, finding: DigestFinding | (() => DigestFinding)): LaneVerdict {
    if (this.opts.admit(job.gate) === 'drop') return { drop: true };
    const now = this.opts.clock.monotonic();
    const seen = this.answered.get(job.key);
    if (seen && now - seen.at < TIMER_J_MS) return seen.verdict;
    this.handled++;
    const auth = this.opts.auth.conclude(typeof finding === 'function' ? finding() : finding, 'REGISTER', job.source, 'www');
    const answer: RegisterAnswer = auth.ok ? this.opts.registrar.register(job.input, auth.user, job.source) : { status: auth.status, headers: auth.headers };
    const verdict: LaneVerdict = { answer, toTag: job.toTagged ? null : newTag(this.opts.random) };
    this.remember(job.key, now, verdict);
    return verdict;
  }

  private remember(key: string, now: number, verdict: LaneVerdict): void {
    // Oldest first out of a ring of keys. (Not by iterating the Map from its front: deleted entries stay
    // behind as holes until V8 rehashes, and skipping them cost 10 % of the thread at 1,000 REGISTER/s.)
    const ring = this.ring;
    while (ring.size > 0 && (ring.size === MAX_REMEMBERED || now - ring.ats[ring.head] >= TIMER_J_MS)) {
      const old = ring.keys[ring.head]!;
      if (this.answered.get(old)?.at === ring.ats[ring.head]) this.answered.delete(old);
      ring.keys[ring.head] = undefined;
      ring.head = (ring.head + 1) % MAX_REMEMBERED;
      ring.size--;
    }
    this.answered.set(key, { at: now, verdict });
    const tail = (ring.head + ring.size) % MAX_REMEMBERED;
    ring.keys[tail] = key;
    ring.ats[tail] = now;
    ring.size++;
  }

  /** Answers remembered for retransmissions now. */
  get remembered(): number {
    return this.answered.size;
  }
}
