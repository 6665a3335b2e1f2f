// Lexical building blocks of RFC 3261 section 25 shared by the header and URI parsers:
// tokens, LWS, quoted strings, parameters, comma lists, hosts and %-escapes.
import { isIPv4, isIPv6 } from 'node:net';
import { syntaxError } from './errors.ts';

/** Parameters as parsed: lower-cased names, raw values (quoted strings keep their quotes). */
export type Params = Map<string, string | null>;

// RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
/** Token characters by code (a table, not a RegExp per character: this runs on every byte of every header). */
const TOKEN_CODES = new Uint8Array(128);
for (let c = 0; c < 128; c++) TOKEN_CODES[c] = TOKEN_RE.test(String.fromCharCode(c)) ? 1 : 0;

export function isTokenChar(ch: string): boolean {
  return ch !== undefined && ch.length === 1 && isTokenCode(ch.charCodeAt(0));
}

export function isTokenCode(code: number): boolean {
  return code < 128 && TOKEN_CODES[code] === 1;
}

export function isToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

/**
 * Trims SP/HTAB only (String.prototype.trim would also eat U+FEFF and U+00A0 of values).
 * A loop, not /[ \t]+$/, which is quadratic on long runs of blanks.
 */
export function trimLws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWsp(s[start])) start++;
  while (end > start && isWsp(s[end - 1])) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function isWsp(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Skips SP/HTAB (folding has already been replaced by SP when a value reaches here). */
export function skipLws(s: string, i: number): number {
  while (i < s.length && isWsp(s[i])) i++;
  return i;
}

/** Index after the run of token characters starting at i. */
export function tokenEnd(s: string, i: number): number {
  while (i < s.length && isTokenCode(s.charCodeAt(i))) i++;
  return i;
}

/**
 * RFC 3261 25.1: quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE,
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F). s[i] must be the opening quote.
 */
export function readQuoted(s: string, i: number): { value: string; end: number } {
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const ch = s[j];
    if (ch === '"') return { value: out, end: j + 1 };
    if (ch === '\\') {
      const next = s[j + 1];
      if (next === undefined || next === '\r' || next === '\n') break;
      out += next;
      j += 2;
      continue;
    }
    out += ch;
    j++;
  }
  throw syntaxError('Unterminated quoted string');
}

/** Writes a quoted-string, escaping what qdtext cannot carry (CR/LF become SP). */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\r' || ch === '\n') out += ' ';
    else if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if ((c < 0x20 && ch !== '\t') || c === 0x7f) out += '\\' + ch;
    else out += ch;
  }
  return out + '"';
}

/** A raw gen-value as stored in Params: quoted strings are unquoted, tokens returned as-is. */
export function unquote(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (raw.startsWith('"')) return readQuoted(raw, 0).value;
  return raw;
}

/**
 * Splits a header value on commas that are outside quoted strings and <...>
 * (RFC 3261 7.3.1). Elements are trimmed; empty elements are kept so that strict
 * parsers can reject them.
 */
export function splitList(s: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
    } else if (ch === '"') inQuote = true;
    else if (ch === '<') inAngle = true;
    else if (ch === '>') inAngle = false;
    else if (ch === ',' && !inAngle) {
      parts.push(trimLws(s.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trimLws(s.slice(start)));
  return parts;
}

// gen-value = token / host / quoted-string; hosts may be IPv6 ("[::1]" or bare, RFC 5118).
function genValueEnd(s: string, i: number): number {
  while (i < s.length && (isTokenChar(s[i]) || s[i] === ':' || s[i] === '[' || s[i] === ']')) i++;
  return i;
}

/**
 * Parses `*( SEMI generic-param )` from s[i]; stops at the first character that is not
 * part of a parameter list and returns its index. RFC 3261 25.1: SEMI = SWS ";" SWS,
 * EQUAL = SWS "=" SWS. A later duplicate name is ignored.
 */
export function parseParams(s: string, i: number): { params: Params; end: number } {
  const params: Params = new Map();
  for (;;) {
    const before = i;
    i = skipLws(s, i);
    if (s[i] !== ';') return { params, end: before };
    i = skipLws(s, i + 1);
    const nameEnd = tokenEnd(s, i);
    if (nameEnd === i) throw syntaxError('Empty or invalid parameter name');
    const name = s.slice(i, nameEnd).toLowerCase();
    i = nameEnd;
    let value: string | null = null;
    const afterName = skipLws(s, i);
    if (s[afterName] === '=') {
      const v = skipLws(s, afterName + 1);
      const end = s[v] === '"' ? readQuoted(s, v).end : genValueEnd(s, v);
      if (end === v) throw syntaxError(`Empty value for parameter ${name}`);
      value = s.slice(v, end);
      i = end;
    }
    if (!params.has(name)) params.set(name, value);
  }
}

export function serializeParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Parses a whole parameter list and rejects trailing garbage. */
export function parseParamsOnly(s: string, i: number, what: string): Params {
  const { params, end } = parseParams(s, i);
  if (skipLws(s, end) !== s.length) throw syntaxError(`Invalid ${what}`);
  return params;
}

export type HostKind = 'ipv4' | 'ipv6' | 'domain';

// RFC 3261 25.1 hostname (underscore tolerated: seen in the wild in SRV-style names).
const HOSTNAME_RE = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\.?$/;

/** host = hostname / IPv4address / IPv6reference; undefined if the text is none of them. */
export function hostKind(host: string): HostKind | undefined {
  if (host.startsWith('[')) {
    return host.endsWith(']') && isIPv6(host.slice(1, -1)) ? 'ipv6' : undefined;
  }
  if (/^[0-9.]+$/.test(host)) return isIPv4(host) ? 'ipv4' : undefined;
  return HOSTNAME_RE.test(host) ? 'domain' : undefined;
}

/** The address to hand to a socket: IPv6 references lose their brackets. */
export function hostAddress(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Parses `host [":" port]`; port 0-65535. */
export function parseHostPort(s: string): { host: string; port?: number } {
  let host: string;
  let rest: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw syntaxError('Unterminated IPv6 reference');
    host = s.slice(0, close + 1);
    rest = s.slice(close + 1);
  } else {
    const colon = s.indexOf(':');
    host = colon < 0 ? s : s.slice(0, colon);
    rest = colon < 0 ? '' : s.slice(colon);
  }
  if (hostKind(host) === undefined) throw syntaxError(`Invalid host ${JSON.stringify(host)}`);
  if (rest === '') return { host };
  if (!/^:[0-9]{1,5}$/.test(rest)) throw syntaxError('Invalid port');
  const port = Number(rest.slice(1));
  if (port > 65535) throw syntaxError('Port out of range');
  return { host, port };
}

export function formatHostPort(host: string, port: number | undefined): string {
  return port === undefined ? host : `${host}:${port}`;
}

/** Decodes %HH escapes (bytes as UTF-8); a '%' not followed by two hex digits is an error. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX2.test(hex)) throw syntaxError('Invalid %-escape');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes every character that `allowed` rejects (and all non-ASCII) as UTF-8 %HH. */
export function percentEncode(s: string, allowed: (ch: string) => boolean): string {
  let out = '';
  for (const ch of s) {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80 && allowed(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Parses an unsigned decimal with an upper bound; rejects signs, blanks and overflow. */
export function parseBoundedInt(text: string, max: number, what: string): number {
  const s = text.trim();
  if (!/^[0-9]+$/.test(s)) throw syntaxError(`Invalid ${what}`);
  const digits = s.replace(/^0+(?=\d)/, '');
  if (digits.length > 16 || Number(digits) > max) throw syntaxError(`${what} out of range`);
  return Number(digits);
}
