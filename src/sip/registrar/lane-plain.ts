// The pure half of the REGISTER lane, the same on the main thread and on a lane worker: read a plain
// REGISTER into a job for RegisterLane.decide, and write the answer to it as bytes with its destination.
import {
  hasMagicCookie, hostAddress, isSipUri, parseAuthHeader, parseCallId, parseContact, parseCSeq, parseDeltaSeconds,
  parseFromTo, parseMaxForwards, parseUri, parseVia, reasonPhrase, responseDestination, scanPlainRegister, sentByOf,
  serializeVia, stampedVia, type AuthHeader, type PlainRegister, type Via,
} from '../core/index.ts';
import type { GateInput } from '../defence/index.ts';
import type { SipDestination, SipSource } from '../transport/index.ts';
import type { RegisterAnswer, RegisterInput } from './registrar.ts';

/** What RegisterLane.decide needs of one plain REGISTER (structured-cloneable: it crosses threads). */
export interface LaneJob {
  /** Branch and sent-by of the top Via: what a retransmission repeats (RFC 3261 17.2.3). */
  key: string;
  gate: GateInput;
  source: SipSource;
  input: RegisterInput;
  /** The To already has a tag (no new one in the answer). */
  toTagged: boolean;
}

export type LaneVerdict = { drop: true } | { answer: RegisterAnswer; toTag: string | null };

/** A plain REGISTER as read, with what writing its answer needs. */
export interface PlainRead {
  job: LaneJob;
  scan: PlainRegister;
  /** The top Via with received/rport as the answer carries it. */
  via: Via;
  credentials: AuthHeader[];
}

/**
 * The plain REGISTER in `data`, or undefined for anything the general parser must judge (other shapes,
 * RFC 2543 branches, odd Request-URIs, and every header value its typed parser rejects: the full stack
 * then answers with the precise 400).
 */
export function readPlainRegister(data: Buffer, source: SipSource): PlainRead | undefined {
  const scan = scanPlainRegister(data);
  if (!scan) return undefined;
  try {
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
    const credentials = scan.authorization === undefined ? [] : [parseAuthHeader(scan.authorization)];
    const user = credentials[0]?.params.get('username') ?? (isSipUri(to.uri) ? to.uri.user : undefined);
    const job: LaneJob = {
      key: `${via.branch}|${sentByOf(via)}`,
      gate: { ip: source.ip, isRequest: true, userAgent: scan.userAgent, user },
      source, input, toTagged: to.tag !== undefined,
    };
    const stamped = stampedVia(via, { transport: 'udp', address: source.ip, port: source.port }) ?? via;
    return { job, scan, via: stamped, credentials };
  } catch {
    return undefined;
  }
}

/** The response of RFC 3261 8.2.6, header for header what buildResponse + serializeMessage write, and where it goes. */
export function answerBytes(read: PlainRead, verdict: Exclude<LaneVerdict, { drop: true }>): { bytes: Buffer; dest: SipDestination } {
  const { scan, via } = read;
  const { answer, toTag } = verdict;
  const toValue = toTag === null ? scan.to : `${scan.to};tag=${toTag}`;
  let text = `SIP/2.0 ${answer.status} ${answer.reason ?? reasonPhrase(answer.status)}\r\nVia: ${serializeVia(via)}\r\nFrom: ${scan.from}\r\nTo: ${toValue}\r\nCall-ID: ${scan.callId}\r\nCSeq: ${scan.cseq}\r\n`;
  for (const [name, value] of answer.headers) text += `${name}: ${value}\r\n`;
  // RFC 3261 18.2.2 with RFC 3581 4, on the stamped Via.
  const peer = responseDestination(via, { transport: 'udp', address: read.job.source.ip, port: read.job.source.port });
  return { bytes: Buffer.from(`${text}Content-Length: 0\r\n\r\n`, 'utf8'), dest: { transport: 'udp', ip: hostAddress(peer.address), port: peer.port } };
}
