// Recognises a plain REGISTER in one datagram without the general parser: the shape phones send
// thousands of times a minute (one Via, one Contact, no body, no extensions to judge). Anything
// else — folding, bare LF, non-ASCII, repeated or unknown headers, a body — gives null, and the
// message takes the full parser and the transaction layer, which answer it exactly as before.
// Pure: header values come back raw (trimmed); the caller parses them with the typed parsers.

export interface PlainRegister {
  /** Request-URI as written. */
  requestUri: string;
  via: string;
  from: string;
  to: string;
  callId: string;
  cseq: string;
  /** Absent: a query of the current bindings (RFC 3261 10.2.3). */
  contact?: string;
  expires?: string;
  authorization?: string;
  userAgent?: string;
  maxForwards?: string;
}

/** Headers the plain shape may carry without changing how a registrar answers (RFC 3261 8.2 checks pass). */
const HARMLESS = new Set([
  'allow', 'supported', 'k', 'allow-events', 'u', 'accept', 'accept-language', 'accept-encoding', 'date',
  'organization', 'timestamp', 'server', 'subject', 's', 'call-info',
]);

type Field = Exclude<keyof PlainRegister, 'requestUri'>;

const FIELDS: Record<string, Field> = {
  via: 'via', v: 'via', from: 'from', f: 'from', to: 'to', t: 'to', 'call-id': 'callId', i: 'callId',
  cseq: 'cseq', contact: 'contact', m: 'contact', expires: 'expires', authorization: 'authorization',
  'user-agent': 'userAgent', 'max-forwards': 'maxForwards',
};

/** Control characters other than HT, DEL and every non-ASCII byte (UTF-8 display names take the full parser). */
const UNUSUAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]/;
const REQUEST_LINE = /^REGISTER ([^ ]+) SIP\/2\.0$/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** The plain REGISTER in `buf`, or null when it needs the general parser. */
export function scanPlainRegister(buf: Uint8Array): PlainRegister | null {
  // "REGISTER " in ASCII.
  if (buf.length < 64 || buf[0] !== 0x52 || buf[1] !== 0x45 || buf[2] !== 0x47 || buf[8] !== 0x20) return null;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  // Content-Length must be 0 and nothing may follow the header section.
  if (headEnd < 0 || headEnd + 4 !== text.length) return null;
  const head = text.slice(0, headEnd);
  if (UNUSUAL.test(head)) return null;
  const lines = head.split('\r\n');
  const start = REQUEST_LINE.exec(lines[0]);
  if (!start) return null;
  const out: Partial<PlainRegister> = { requestUri: start[1] };
  let contentLength = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    // A bare CR or LF inside a line, or a continuation line (folding), takes the general parser.
    if (line.includes('\r') || line.includes('\n') || line[0] === ' ' || line[0] === '\t') return null;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).toLowerCase();
    if (!TOKEN.test(name)) return null;
    const value = line.slice(colon + 1).trim();
    const field = FIELDS[name];
    if (field) {
      if (out[field] !== undefined) return null;
      // Several Vias or Contacts in one line (or a comma inside one) are the general parser's business.
      if ((field === 'via' || field === 'contact') && (value.includes(',') || value === '*')) return null;
      out[field] = value;
    } else if (name === 'content-length' || name === 'l') {
      if (contentLength || !/^0+$/.test(value)) return null;
      contentLength = true;
    } else if (!HARMLESS.has(name) && !name.startsWith('x-')) {
      return null;
    }
  }
  if (out.via === undefined || out.from === undefined || out.to === undefined || out.callId === undefined || out.cseq === undefined) return null;
  return out as PlainRegister;
}
