// WWW-Authenticate / Proxy-Authenticate / Authorization / Proxy-Authorization values
// (RFC 3261 25.1, RFC 7616 3.3-3.4). Unknown schemes parse too (RFC 4475 3.3.7).
import { syntaxError } from './errors.ts';
import { quote, readQuoted, skipLws, tokenEnd } from './grammar.ts';
import type { AuthHeader } from './header-types.ts';

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads `name = (token / quoted-string)` pairs separated by commas, from s[i] to the end. */
function parseAuthParams(s: string, i: number): { params: Map<string, string>; quoted: Set<string> } {
  const params = new Map<string, string>();
  const quoted = new Set<string>();
  while (i < s.length) {
    i = skipLws(s, i);
    const nameEnd = tokenEnd(s, i);
    if (nameEnd === i) throw syntaxError('Invalid auth-param name');
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipLws(s, nameEnd);
    if (s[i] !== '=') throw syntaxError('Expected = in auth-param');
    i = skipLws(s, i + 1);
    let value: string;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      value = q.value;
      i = q.end;
      quoted.add(name);
    } else {
      // Tolerant of peers that leave URIs unquoted: take everything up to the next comma.
      const end = s.indexOf(',', i);
      value = (end < 0 ? s.slice(i) : s.slice(i, end)).trim();
      if (value === '') throw syntaxError('Empty auth-param value');
      i = end < 0 ? s.length : end;
    }
    if (!params.has(name)) params.set(name, value);
    i = skipLws(s, i);
    if (i < s.length) {
      if (s[i] !== ',') throw syntaxError('Expected , between auth-params');
      i++;
    }
  }
  return { params, quoted };
}

/** Parses one challenge or credentials value. */
export function parseAuthHeader(value: string): AuthHeader {
  const s = value.trim();
  const schemeEnd = tokenEnd(s, 0);
  if (schemeEnd === 0) throw syntaxError('Invalid auth scheme');
  const scheme = s.slice(0, schemeEnd);
  const restStart = skipLws(s, schemeEnd);
  if (restStart < s.length && restStart === schemeEnd) throw syntaxError('Expected LWS after auth scheme');
  const rest = s.slice(restStart);
  try {
    return { scheme, ...parseAuthParams(rest, 0) };
  } catch (err) {
    if (TOKEN68.test(rest)) return { scheme, params: new Map(), quoted: new Set(), token68: rest };
    throw err;
  }
}

/**
 * Writes `Scheme a="x", b=y`. Values are quoted unless their name is in `bare`
 * (RFC 7616: algorithm, stale, nc, qop-in-credentials, userhash are tokens).
 */
export function serializeAuthHeader(scheme: string, params: ReadonlyMap<string, string>, bare: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const [name, value] of params) parts.push(bare.has(name) ? `${name}=${value}` : `${name}=${quote(value)}`);
  return `${scheme} ${parts.join(', ')}`;
}
