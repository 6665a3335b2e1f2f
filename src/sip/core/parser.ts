// Parses one SIP message from bytes (a UDP datagram or a frame cut by framer.ts):
// start line, folded headers (RFC 3261 7.3.1), body by Content-Length in bytes (18.3).
import { SipParseError, syntaxError } from './errors.ts';
import { isToken, isWsp, trimLws } from './grammar.ts';
import { parseContentLength } from './header-values.ts';
import { Headers } from './headers.ts';
import { checkRequest, checkResponse } from './message-checks.ts';
import type { SipMessage, SipRequest, SipResponse } from './message-types.ts';
import type { Uri } from './uri-types.ts';
import { parseUri } from './uri.ts';

export interface ParseOptions {
  /**
   * Run the RFC 3261 checks after syntax (required headers, single-valued headers, scalar
   * ranges, CSeq method, Request-URI scheme). Default true. With false, only what prevents
   * building a message at all is an error; validate.ts can judge the rest.
   */
  validate?: boolean;
}

const CR = 0x0d;
const LF = 0x0a;

/** RFC 5626 3.5.1: a datagram or stream run of only CRLFs is a keep-alive, not a message. */
export function isKeepAlive(data: Uint8Array): boolean {
  if (data.length === 0) return false;
  for (const b of data) if (b !== CR && b !== LF) return false;
  return true;
}

function skipLeadingCrlf(buf: Buffer): number {
  // RFC 3261 7.5: "Implementations processing SIP messages over stream-oriented transports
  // MUST ignore any CRLF appearing before the start-line".
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  return i;
}

/** End of the header section and start of the body; -1 when there is no empty line. */
function findHeaderEnd(buf: Buffer, from: number): { headEnd: number; bodyStart: number } {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lflf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf >= 0 && (lflf < 0 || crlf < lflf)) return { headEnd: crlf, bodyStart: crlf + 4 };
  if (lflf >= 0) return { headEnd: lflf, bodyStart: lflf + 2 };
  return { headEnd: -1, bodyStart: -1 };
}

/** Joins continuation lines: "CRLF followed by whitespace is equivalent to a single SP". */
function unfold(lines: string[], faults: string[]): string[] {
  const fields: string[] = [];
  let parts: string[] | undefined;
  for (const line of lines) {
    if (line.includes('\r')) faults.push('Bare CR in header section');
    if (isWsp(line[0])) {
      if (!parts) faults.push('Header section starts with whitespace');
      else parts.push(trimLws(line));
      continue;
    }
    if (parts) fields.push(parts.join(' '));
    parts = line === '' ? undefined : [trimLws(line)];
  }
  if (parts) fields.push(parts.join(' '));
  return fields;
}

function parseHeaderFields(fields: string[], faults: string[]): Headers {
  const headers = new Headers();
  for (const field of fields) {
    const colon = field.indexOf(':');
    // header = field-name HCOLON field-value; HCOLON = *( SP / HTAB ) ":" SWS
    const name = colon < 0 ? '' : trimLws(field.slice(0, colon));
    if (!isToken(name)) {
      faults.push('Malformed header line');
      continue;
    }
    headers.addRaw(name, field.slice(colon + 1));
  }
  return headers;
}

interface StartLine {
  request?: { method: string; uri: Uri; version: string };
  response?: { status: number; reason: string; version: string };
  fault?: SipParseError;
}

function parseStatusLine(line: string): StartLine {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; any fault means "drop".
  const m = /^SIP\/(\d+\.\d+) ([0-9]+)(?: (.*))?$/i.exec(line);
  const drop = (why: string) => ({ fault: new SipParseError(why, { status: null }) });
  if (!m) return drop('Malformed status line');
  if (m[1] !== '2.0') return drop('Unsupported SIP version in response');
  if (m[2].length !== 3 || Number(m[2]) < 100 || Number(m[2]) > 699) return drop('Status code out of range');
  return { response: { status: Number(m[2]), reason: m[3] ?? '', version: 'SIP/2.0' } };
}

function parseRequestLine(line: string): StartLine & { method: string; rawUri: string } {
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly single spaces.
  const parts = line.split(' ');
  const method = isToken(parts[0] ?? '') ? parts[0] : 'UNKNOWN';
  const rawUri = parts[1] ?? '';
  const fail = (why: string, status: 400 | 505 = 400) => ({ method, rawUri, fault: new SipParseError(why, { status }) });
  if (parts.length !== 3 || parts.some((p) => p === '')) return fail('Malformed request line');
  if (!isToken(parts[0])) return fail('Invalid method');
  const v = /^SIP\/(\d+)\.(\d+)$/i.exec(parts[2]);
  if (!v) return fail('Malformed SIP version');
  if (`${Number(v[1])}.${Number(v[2])}` !== '2.0') return fail('Version Not Supported', 505);
  try {
    return { method, rawUri, request: { method, uri: parseUri(rawUri), version: 'SIP/2.0' } };
  } catch (err) {
    return fail(err instanceof SipParseError ? `Invalid Request-URI: ${err.reason}` : 'Invalid Request-URI');
  }
}

/** Body by Content-Length (bytes). Trailing octets of a datagram are ignored (RFC 4475 3.1.1.8). */
function extractBody(buf: Buffer, bodyStart: number, headers: Headers, validate: boolean): Buffer {
  const available = buf.length - bodyStart;
  const values = headers.getAll('Content-Length');
  if (values.length === 0) {
    // RFC 3261 18.3: over UDP "the message body is assumed to end at the end of the packet".
    return buf.subarray(bodyStart);
  }
  const lengths = values.map(parseContentLength);
  if (lengths.some((n) => n !== lengths[0])) {
    if (validate) throw syntaxError('Multiple Content-Length values');
    return buf.subarray(bodyStart);
  }
  if (values.length > 1 && validate) throw syntaxError('Multiple Content-Length values');
  if (lengths[0] > available) throw syntaxError('Content-Length larger than message');
  return buf.subarray(bodyStart, bodyStart + lengths[0]);
}

/**
 * Parses a SIP message. Throws SipParseError: for requests with status 400/416/505 and the
 * partial request when a response can be sent; for responses always status null (drop).
 */
export function parseMessage(data: Uint8Array, options: ParseOptions = {}): SipMessage {
  const validate = options.validate !== false;
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const start = skipLeadingCrlf(buf);
  if (start === buf.length) throw new SipParseError('Empty message or keep-alive', { status: null });
  const faults: string[] = [];
  let { headEnd, bodyStart } = findHeaderEnd(buf, start);
  if (headEnd < 0) {
    faults.push('Missing empty line after header section');
    headEnd = bodyStart = buf.length;
  }
  const lines = buf.toString('utf8', start, headEnd).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const headers = parseHeaderFields(unfold(lines.slice(1), faults), faults);
  if (/^SIP\//i.test(lines[0])) return finishResponse(parseStatusLine(lines[0]), headers, faults, () => extractBody(buf, bodyStart, headers, validate), validate);
  const sl = parseRequestLine(lines[0]);
  const partial: SipRequest = {
    kind: 'request', method: sl.method, uri: sl.request?.uri ?? { scheme: '', opaque: sl.rawUri },
    version: 'SIP/2.0', headers, body: Buffer.alloc(0),
  };
  if (sl.fault) throw new SipParseError(sl.fault.reason, { status: sl.fault.status, partial });
  if (faults.length > 0) throw new SipParseError(faults[0], { status: 400, partial });
  try {
    partial.body = extractBody(buf, bodyStart, headers, validate);
    if (validate) checkRequest(partial);
  } catch (err) {
    if (err instanceof SipParseError) throw err.withStatus(err.status, partial);
    throw err;
  }
  return partial;
}

function finishResponse(sl: StartLine, headers: Headers, faults: string[], body: () => Buffer, validate: boolean): SipResponse {
  if (sl.fault) throw sl.fault;
  if (faults.length > 0) throw new SipParseError(faults[0], { status: null });
  const { status, reason, version } = sl.response!;
  try {
    const res: SipResponse = { kind: 'response', status, reason, version, headers, body: body() };
    if (validate) checkResponse(res);
    return res;
  } catch (err) {
    if (err instanceof SipParseError) throw err.withStatus(null);
    throw err;
  }
}
