// URI parsing and serialization: sip/sips (RFC 3261 19.1.1, 25.1), tel (RFC 3966) and
// opaque absolute URIs for any other scheme.
import { syntaxError } from './errors.ts';
import { formatHostPort, parseHostPort, percentDecode, percentEncode, type Params } from './grammar.ts';
import type { AbsoluteUri, SipUri, TelUri, Uri } from './uri-types.ts';

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+\-.]*):/;
// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
// user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = & = + $ , ; ? /
// '#' is tolerated on input: gateways dial service codes such as *86# unescaped.
const USER_RE = new RegExp(`^[${UNRESERVED}&=+$,;?/%#]+$`);
const PASSWORD_RE = new RegExp(`^[${UNRESERVED}&=+$,%]*$`);
// paramchar = param-unreserved / unreserved / escaped; param-unreserved = [ ] / : & + $
const PARAM_RE = new RegExp(`^[${UNRESERVED}\\[\\]/:&+$%]+$`);
// hname/hvalue = hnv-unreserved / unreserved / escaped; hnv-unreserved = [ ] / ? : + $
const HEADER_RE = new RegExp(`^[${UNRESERVED}\\[\\]/?:+$%]*$`);
const TEL_RE = /^[+0-9A-Fa-f*#\-.()pPwW]+$/;

const allowedBy = (chars: string) => {
  const re = new RegExp(`^[${chars}]$`);
  return (ch: string) => re.test(ch);
};
const USER_OK = allowedBy(`${UNRESERVED}&=+$,;?/`);
const PASSWORD_OK = allowedBy(`${UNRESERVED}&=+$,`);
const PARAM_OK = allowedBy(`${UNRESERVED}\\[\\]/:&+$`);
const HEADER_OK = allowedBy(`${UNRESERVED}\\[\\]/?:+$`);

export const SIP_SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

/** Parses any URI; schemes other than sip/sips/tel come back as AbsoluteUri. */
export function parseUri(text: string): Uri {
  if (/[\x00-\x20\x7f]/.test(text)) throw syntaxError('Whitespace or control character in URI');
  const m = SCHEME_RE.exec(text);
  if (!m) throw syntaxError('Invalid URI scheme');
  const scheme = m[1].toLowerCase();
  const rest = text.slice(m[0].length);
  if (rest === '') throw syntaxError('Empty URI');
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (scheme === 'tel') return parseTelUri(rest);
  if (/[<>"]/.test(rest)) throw syntaxError('Invalid character in URI');
  return { scheme, opaque: rest } satisfies AbsoluteUri;
}

function parseSipUri(scheme: 'sip' | 'sips', rest: string): SipUri {
  const at = rest.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const rawUser = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (!USER_RE.test(rawUser)) throw syntaxError('Invalid user part in URI');
    user = percentDecode(rawUser);
    if (colon >= 0) {
      const rawPassword = userinfo.slice(colon + 1);
      if (!PASSWORD_RE.test(rawPassword)) throw syntaxError('Invalid password in URI');
      password = percentDecode(rawPassword);
    }
    rest = rest.slice(at + 1);
  }
  const end = rest.search(/[;?]/);
  const { host, port } = parseHostPort(end < 0 ? rest : rest.slice(0, end));
  const tail = end < 0 ? '' : rest.slice(end);
  const q = tail.indexOf('?');
  const params = parseUriParams(q < 0 ? tail : tail.slice(0, q));
  const headers = q < 0 ? [] : parseUriHeaders(tail.slice(q + 1));
  const uri: SipUri = { scheme, host, params, headers };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  return uri;
}

function parseUriParams(text: string): Params {
  const params: Params = new Map();
  if (text === '') return params;
  for (const part of text.slice(1).split(';')) {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? null : part.slice(eq + 1);
    if (!PARAM_RE.test(rawName)) throw syntaxError('Invalid URI parameter');
    if (rawValue !== null && !PARAM_RE.test(rawValue)) throw syntaxError('Invalid URI parameter value');
    const name = percentDecode(rawName).toLowerCase();
    if (!params.has(name)) params.set(name, rawValue === null ? null : percentDecode(rawValue));
  }
  return params;
}

function parseUriHeaders(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw syntaxError('Invalid URI header');
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!HEADER_RE.test(name) || !HEADER_RE.test(value)) throw syntaxError('Invalid URI header');
    out.push([percentDecode(name), percentDecode(value)]);
  }
  return out;
}

function parseTelUri(rest: string): TelUri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (!TEL_RE.test(number)) throw syntaxError('Invalid tel URI number');
  return { scheme: 'tel', number, params: parseUriParams(semi < 0 ? '' : rest.slice(semi)) };
}

function serializeUriParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) {
    out += ';' + percentEncode(name, PARAM_OK);
    if (value !== null) out += '=' + percentEncode(value, PARAM_OK);
  }
  return out;
}

export function serializeUri(uri: Uri): string {
  if (uri.scheme === 'sip' || uri.scheme === 'sips') {
    const u = uri as SipUri;
    let out = `${u.scheme}:`;
    if (u.user !== undefined) {
      out += percentEncode(u.user, USER_OK);
      if (u.password !== undefined) out += ':' + percentEncode(u.password, PASSWORD_OK);
      out += '@';
    }
    out += formatHostPort(u.host, u.port) + serializeUriParams(u.params);
    if (u.headers.length > 0) {
      const hs = u.headers.map(([n, v]) => `${percentEncode(n, HEADER_OK)}=${percentEncode(v, HEADER_OK)}`);
      out += '?' + hs.join('&');
    }
    return out;
  }
  if (uri.scheme === 'tel') {
    const t = uri as TelUri;
    return `tel:${t.number}${serializeUriParams(t.params)}`;
  }
  const a = uri as AbsoluteUri;
  return `${a.scheme}:${a.opaque}`;
}

/** Builds a sip/sips URI from parts (params and headers optional). */
export function sipUri(parts: Omit<SipUri, 'params' | 'headers' | 'scheme'> & Partial<Pick<SipUri, 'params' | 'headers' | 'scheme'>>): SipUri {
  return { scheme: 'sip', params: new Map(), headers: [], ...parts };
}

/** Deep copy (URIs from accessors are shared; copy before changing). */
export function cloneUri<T extends Uri>(uri: T): T {
  const copy = { ...uri } as T & { params?: Params; headers?: Array<[string, string]> };
  if ('params' in uri) copy.params = new Map(uri.params);
  if ('headers' in uri) copy.headers = uri.headers.map(([n, v]) => [n, v] as [string, string]);
  return copy;
}
