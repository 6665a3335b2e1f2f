// Via header values (RFC 3261 20.42, 25.1; RFC 3581 rport) and the branch magic cookie.
import { syntaxError } from './errors.ts';
import {
  formatHostPort, isWsp, parseHostPort, parseParamsOnly, serializeParams, skipLws, tokenEnd, type Params,
} from './grammar.ts';
import type { Via } from './header-types.ts';

/** RFC 3261 8.1.1.7: branch IDs of RFC 3261 elements start with this cookie. */
export const MAGIC_COOKIE = 'z9hG4bK';

/**
 * True when the branch was made by an RFC 3261 element. A branch that is exactly the cookie
 * carries no identifier and falls back to RFC 2543 matching (RFC 4475 3.2.1).
 */
export function hasMagicCookie(branch: string | undefined): branch is string {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE) && branch.length > MAGIC_COOKIE.length;
}

function readToken(s: string, i: number, what: string): { text: string; end: number } {
  const start = skipLws(s, i);
  const end = tokenEnd(s, start);
  if (end === start) throw syntaxError(`Invalid Via ${what}`);
  return { text: s.slice(start, end), end };
}

function expectSlash(s: string, i: number): number {
  const j = skipLws(s, i);
  if (s[j] !== '/') throw syntaxError('Invalid Via sent-protocol');
  return j + 1;
}

const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Letters, digits, ".", "-" and "_" (a hostname or IPv4 address). */
const isHostCode = (c: number): boolean => isDigitCode(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x2d || c === 0x5f;

// sent-by = host [ COLON port ]; COLON = SWS ":" SWS
function readSentBy(s: string, i: number): { host: string; port?: number; end: number } {
  let j = i;
  if (s[j] === '[') {
    j = s.indexOf(']', j);
    if (j < 0) throw syntaxError('Unterminated IPv6 reference in Via');
    j++;
  } else {
    while (j < s.length && isHostCode(s.charCodeAt(j))) j++;
  }
  const host = s.slice(i, j);
  let k = skipLws(s, j);
  let portText = '';
  if (s[k] === ':') {
    k = skipLws(s, k + 1);
    const start = k;
    while (k < s.length && isDigitCode(s.charCodeAt(k))) k++;
    portText = ':' + s.slice(start, k);
    j = k;
  }
  const parsed = parseHostPort(host + portText);
  return { ...parsed, end: j };
}

function extractKnown(params: Params): Pick<Via, 'branch' | 'received' | 'rport'> {
  const out: Pick<Via, 'branch' | 'received' | 'rport'> = {};
  const branch = params.get('branch');
  if (branch === null) throw syntaxError('Via branch without value');
  if (branch !== undefined) out.branch = branch;
  const received = params.get('received');
  if (received != null) out.received = received;
  if (params.has('rport')) {
    const rport = params.get('rport');
    if (rport != null && !/^[0-9]{1,5}$/.test(rport)) throw syntaxError('Invalid Via rport');
    out.rport = rport == null ? null : Number(rport);
  }
  return out;
}

/** One via-parm: `SIP / 2.0 / UDP host:port ;params` with LWS allowed around "/" and ":". */
export function parseVia(value: string): Via {
  const s = value.trim();
  const protocol = readToken(s, 0, 'protocol');
  const version = readToken(s, expectSlash(s, protocol.end), 'version');
  const transport = readToken(s, expectSlash(s, version.end), 'transport');
  let i = transport.end;
  if (!isWsp(s[i])) throw syntaxError('Missing LWS before Via sent-by');
  i = skipLws(s, i);
  const sentBy = readSentBy(s, i);
  const params = parseParamsOnly(s, sentBy.end, 'Via parameters');
  const via: Via = {
    protocol: protocol.text.toUpperCase(),
    version: version.text,
    transport: transport.text.toUpperCase(),
    host: sentBy.host,
    params,
    ...extractKnown(params),
  };
  if (sentBy.port !== undefined) via.port = sentBy.port;
  return via;
}

export function serializeVia(via: Via): string {
  return `${via.protocol}/${via.version}/${via.transport} ${formatHostPort(via.host, via.port)}${serializeParams(via.params)}`;
}

/** Builds a Via value for a request we send (RFC 3261 8.1.1.7, RFC 3581 rport). */
export function buildVia(opts: { transport: string; host: string; port?: number; branch: string; rport?: boolean }): string {
  const params: Params = new Map([['branch', opts.branch]]);
  if (opts.rport !== false) params.set('rport', null);
  const via: Via = { protocol: 'SIP', version: '2.0', transport: opts.transport.toUpperCase(), host: opts.host, params };
  if (opts.port !== undefined) via.port = opts.port;
  return serializeVia(via);
}

/** "host:port" exactly as the Via states it, the sent-by of RFC 3261 17.2.3 matching. */
export function sentByOf(via: Via): string {
  return formatHostPort(via.host.toLowerCase(), via.port);
}
