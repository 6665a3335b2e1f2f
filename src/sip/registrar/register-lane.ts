// The REGISTER lane: a plain REGISTER over UDP (core/register-scan.ts) is answered from its raw bytes,
// without the general parser, the RFC 3261 8.2 checks it would pass anyway, or a server transaction
// with its timers — the bulk of a registrar's traffic at a fraction of the work. The registrar, the
// digest check, the defences and the location service are the same objects the full stack uses.
//
// What a server transaction would give is kept: a retransmission (same branch and sent-by, RFC 3261
// 17.2.3) within Timer J (64·T1 = 32 s) gets the very bytes answered before — not a new challenge, not
// a nonce-count replay, not a second counted failure.
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import {
  hasMagicCookie, hostAddress, isSipUri, newTag, parseAuthHeader, parseCallId, parseContact, parseCSeq, parseDeltaSeconds,
  parseFromTo, parseMaxForwards, parseUri, parseVia, reasonPhrase, responseDestination, scanPlainRegister, sentByOf, serializeVia,
  stampedVia,
  type AuthHeader, type FromTo, type PlainRegister, type RandomSource, type Via,
} from '../core/index.ts';
import type { GateInput, Admission } from '../defence/index.ts';
import type { SipDestination, SipSource } from '../transport/index.ts';
import type { DigestAuthenticator } from './authenticator.ts';
import type { RegisterAnswer, RegisterInput, Registrar } from './registrar.ts';

/** Timer J for UDP (RFC 3261 17.2.2): how long an answered request is recognised when retransmitted. */
const TIMER_J_MS = 32_000;
/** At most this many answers are remembered (≈ 30 MB); under a flood the oldest go before Timer J. */
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

interface Remembered {
  at: number;
  bytes: Buffer;
}

interface Read {
  scan: PlainRegister;
  via: Via;
  to: FromTo;
  input: RegisterInput;
  credentials: AuthHeader[];
}

export class RegisterLane {
  private readonly answered = new Map<string, Remembered>();
  /** Keys of `answered` in the order they were answered. */
  private readonly ring = { keys: new Array<string | undefined>(MAX_REMEMBERED), ats: new Float64Array(MAX_REMEMBERED), head: 0, size: 0 };
  /** Plain REGISTERs answered here (the rest of the SIP traffic is counted by the transaction layer). */
  handled = 0;

  constructor(private readonly opts: RegisterLaneOptions) {}

  /** Answers the datagram when it is a plain REGISTER (or drops it for the defences); false leaves it to the full stack. */
  take(data: Buffer, source: SipSource): boolean {
    const scan = scanPlainRegister(data);
    if (!scan) return false;
    let read: Read | undefined;
    try {
      read = this.read(scan);
    } catch {
      // The full parser answers it with the precise 400.
      return false;
    }
    if (!read) return false;
    const { via, to, input, credentials } = read;
    const user = credentials[0]?.params.get('username') ?? (isSipUri(to.uri) ? to.uri.user : undefined);
    if (this.opts.admit({ ip: source.ip, isRequest: true, userAgent: scan.userAgent, user }) === 'drop') return true;
    const stamped = stampedVia(via, { transport: 'udp', address: source.ip, port: source.port }) ?? via;
    const dest = destination(stamped, source);
    const now = this.opts.clock.monotonic();
    const key = `${via.branch}|${sentByOf(via)}`;
    const seen = this.answered.get(key);
    if (seen && now - seen.at < TIMER_J_MS) {
      this.opts.send(seen.bytes, dest, source.localIp);
      return true;
    }
    this.handled++;
    const auth = this.opts.auth.checkCredentials(credentials, 'REGISTER', source, 'www');
    const answer: RegisterAnswer = auth.ok ? this.opts.registrar.register(input, auth.user, source) : { status: auth.status, headers: auth.headers };
    const bytes = this.serialize(read, stamped, answer);
    this.remember(key, now, bytes);
    this.opts.send(bytes, dest, source.localIp);
    return true;
  }

  /** Typed values the full parser would check; undefined for what only it handles (RFC 2543 branch, odd URIs). */
  private read(scan: PlainRegister): Read | undefined {
    const uri = parseUri(scan.requestUri);
    if (!isSipUri(uri) || uri.headers.length > 0) return undefined;
    const via = parseVia(scan.via);
    if (!hasMagicCookie(via.branch)) return undefined;
    const cseq = parseCSeq(scan.cseq);
    if (cseq.method !== 'REGISTER') return undefined;
    parseFromTo(scan.from);
    const to = parseFromTo(scan.to);
    if (scan.maxForwards !== undefined) parseMaxForwards(scan.maxForwards);
    const input: RegisterInput = {
      to: to.uri,
      contacts: scan.contact === undefined ? [] : [parseContact(scan.contact)],
      expires: scan.expires === undefined ? undefined : parseDeltaSeconds(scan.expires, 'Expires'),
      callId: parseCallId(scan.callId),
      cseq: cseq.seq,
      userAgent: scan.userAgent ?? '',
    };
    return { scan, via, to, input, credentials: scan.authorization === undefined ? [] : [parseAuthHeader(scan.authorization)] };
  }

  /** The response of RFC 3261 8.2.6, header for header what buildResponse + serializeMessage write. */
  private serialize(read: Read, via: Via, answer: RegisterAnswer): Buffer {
    const { scan, to } = read;
    const toValue = to.tag === undefined ? `${scan.to};tag=${newTag(this.opts.random)}` : scan.to;
    let text = `SIP/2.0 ${answer.status} ${answer.reason ?? reasonPhrase(answer.status)}\r\nVia: ${serializeVia(via)}\r\nFrom: ${scan.from}\r\nTo: ${toValue}\r\nCall-ID: ${scan.callId}\r\nCSeq: ${scan.cseq}\r\n`;
    for (const [name, value] of answer.headers) text += `${name}: ${value}\r\n`;
    return Buffer.from(`${text}Content-Length: 0\r\n\r\n`, 'utf8');
  }

  private remember(key: string, now: number, bytes: Buffer): void {
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
    this.answered.set(key, { at: now, bytes });
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

/** RFC 3261 18.2.2 with RFC 3581 4, on the stamped Via. */
function destination(via: Via, source: SipSource): SipDestination {
  const peer = responseDestination(via, { transport: 'udp', address: source.ip, port: source.port });
  return { transport: 'udp', ip: hostAddress(peer.address), port: peer.port };
}
