// name-addr / addr-spec header values (RFC 3261 20.10, 20.20, 20.39, 25.1): From, To,
// Contact, Route, Record-Route, Refer-To, P-Asserted-Identity.
import { syntaxError } from './errors.ts';
import { isTokenChar, isWsp, parseParamsOnly, quote, readQuoted, serializeParams, skipLws, unquote } from './grammar.ts';
import type { Contact, ContactStar, FromTo, NameAddr } from './header-types.ts';
import { parseUri, serializeUri } from './uri.ts';

/**
 * Parses `[display-name] <URI> *(;param)` or `addr-spec *(;param)`.
 * RFC 3261 20.10: "If the URI is not enclosed in angle brackets, any semicolon-delimited
 * parameters are header-parameters, not URI parameters." and the URI "MUST be enclosed in
 * angle brackets" if it contains a comma, question mark or semicolon.
 */
export function parseNameAddr(value: string): NameAddr {
  const s = value.trim();
  if (s === '') throw syntaxError('Empty address');
  let i = 0;
  let displayName: string | undefined;
  if (s[0] === '"') {
    const q = readQuoted(s, 0);
    displayName = q.value;
    i = skipLws(s, q.end);
    if (s[i] !== '<') throw syntaxError('Expected < after display name');
  } else {
    // Scan tokens and LWS: a '<' ends an unquoted display name, a ':' right after the first
    // token means the value is an addr-spec; anything else is not allowed here (RFC 4475 3.1.2.15).
    let j = 0;
    while (j < s.length && (isTokenChar(s[j]) || isWsp(s[j]))) j++;
    if (s[j] === '<') {
      const name = s.slice(0, j).trim().replace(/[ \t]+/g, ' ');
      if (name !== '') displayName = name;
      i = j;
    } else if (s[j] === ':' && !/[ \t]/.test(s.slice(0, j))) {
      return parseAddrSpec(s);
    } else {
      throw syntaxError('Invalid display name or address');
    }
  }
  const close = s.indexOf('>', i);
  if (close < 0) throw syntaxError('Unterminated <URI>');
  const uri = parseUri(s.slice(i + 1, close));
  const params = parseParamsOnly(s, close + 1, 'address parameters');
  return displayName === undefined ? { uri, params } : { displayName, uri, params };
}

function parseAddrSpec(s: string): NameAddr {
  const semi = s.indexOf(';');
  const uriText = (semi < 0 ? s : s.slice(0, semi)).trimEnd();
  if (/[?,]/.test(uriText)) throw syntaxError('URI with "?" or "," must be enclosed in <>');
  const uri = parseUri(uriText);
  const params = semi < 0 ? new Map() : parseParamsOnly(s, semi, 'address parameters');
  return { uri, params };
}

export function parseFromTo(value: string): FromTo {
  const na = parseNameAddr(value);
  const tag = unquote(na.params.get('tag'));
  return tag === undefined ? na : { ...na, tag };
}

const MAX_EXPIRES = 2 ** 32 - 1;

/** One Contact element; `*` is handled by parseContacts. */
export function parseContact(value: string): Contact {
  const na: Contact = parseNameAddr(value);
  const expires = na.params.get('expires');
  if (expires != null && /^[0-9]{1,10}$/.test(expires) && Number(expires) <= MAX_EXPIRES) {
    na.expires = Number(expires);
  }
  const q = na.params.get('q');
  if (q != null && /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(q)) na.q = Number(q);
  return na;
}

/** RFC 3261 20.10: Contact is `*` alone or a list of addresses. */
export function parseContacts(values: readonly string[]): Contact[] | ContactStar {
  if (values.some((v) => v === '*')) {
    if (values.length !== 1) throw syntaxError('Contact "*" must be the only value');
    return '*';
  }
  return values.map(parseContact);
}

export function serializeNameAddr(na: NameAddr): string {
  const name = na.displayName === undefined || na.displayName === '' ? '' : quote(na.displayName) + ' ';
  return `${name}<${serializeUri(na.uri)}>${serializeParams(na.params)}`;
}

/** A copy of the address with a tag parameter set (or replaced). */
export function withTag<T extends NameAddr>(na: T, tag: string): T {
  const params = new Map(na.params);
  params.set('tag', tag);
  return { ...na, params, ...('tag' in na ? { tag } : {}) };
}
