// The header section of a SIP message: case-insensitive names, compact forms expanded,
// first-seen order kept, comma lists split into elements, typed views cached per name.
import { isToken, splitList, trimLws } from './grammar.ts';

// RFC 3261 7.3.3 and the IANA registry of compact forms.
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', b: 'Referred-By', c: 'Content-Type', d: 'Request-Disposition',
  e: 'Content-Encoding', f: 'From', i: 'Call-ID', j: 'Reject-Contact', k: 'Supported',
  l: 'Content-Length', m: 'Contact', n: 'Identity-Info', o: 'Event', r: 'Refer-To',
  s: 'Subject', t: 'To', u: 'Allow-Events', v: 'Via', x: 'Session-Expires', y: 'Identity',
};

const KNOWN_NAMES = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow',
  'Allow-Events', 'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact',
  'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type',
  'CSeq', 'Date', 'Error-Info', 'Event', 'Expires', 'From', 'History-Info', 'Identity',
  'Identity-Info', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE',
  'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Refer-To', 'Referred-By', 'Reject-Contact', 'Replaces', 'Reply-To', 'Request-Disposition',
  'Require', 'Retry-After', 'Route', 'RSeq', 'Server', 'Service-Route', 'Session-Expires',
  'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To',
  'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];
const CANONICAL = new Map(KNOWN_NAMES.map((n) => [n.toLowerCase(), n]));

/** Headers whose grammar is a comma-separated list (RFC 3261 7.3.1 allows combining those). */
const LIST_HEADERS = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow',
  'allow-events', 'call-info', 'contact', 'content-encoding', 'content-language', 'error-info',
  'history-info', 'in-reply-to', 'p-asserted-identity', 'p-preferred-identity', 'path',
  'proxy-require', 'reason', 'record-route', 'reject-contact', 'request-disposition', 'require',
  'route', 'service-route', 'supported', 'unsupported', 'via', 'warning',
]);

/** Token lists are written on one line; address lists one element per line. */
const JOINED_ON_SERIALIZE = new Set([
  'accept', 'accept-encoding', 'accept-language', 'allow', 'allow-events', 'content-encoding',
  'content-language', 'proxy-require', 'require', 'supported', 'unsupported', 'in-reply-to',
]);

interface Entry {
  name: string;
  values: string[];
}

/** Long, canonical spelling of a header name (compact forms expanded). */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1 && COMPACT[lower]) return COMPACT[lower];
  return CANONICAL.get(lower) ?? name;
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name).toLowerCase());
}

export function isJoinedOnSerialize(name: string): boolean {
  return JOINED_ON_SERIALIZE.has(name.toLowerCase());
}

/** Lookup keys of the names seen so far, as written (bounded: names in received messages are anyone's choice). */
const KEYS = new Map<string, string>();

function keyOf(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) {
    key = canonicalHeaderName(name).toLowerCase();
    if (KEYS.size < 1024) KEYS.set(name, key);
  }
  return key;
}

function checkValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError('Header value must not contain CR or LF');
  return trimLws(value);
}

export class Headers {
  #entries = new Map<string, Entry>();
  #cache = new Map<string, unknown>();

  /** Adds one header field row as received: list headers are split into elements. */
  addRaw(name: string, value: string): void {
    const trimmed = trimLws(value);
    const elements = isListHeader(name) && trimmed !== '' ? splitList(trimmed) : [trimmed];
    this.#push(name, elements);
  }

  /** Appends values after any existing ones of that name. */
  append(name: string, ...values: string[]): void {
    this.#push(name, values.map(checkValue));
  }

  /** Inserts values before existing ones (a new top Via, Record-Route). */
  prepend(name: string, ...values: string[]): void {
    const entry = this.#entry(name);
    entry.values.unshift(...values.map(checkValue));
    this.#cache.delete(keyOf(name));
  }

  /** Replaces all values of a name, keeping its position if it existed. */
  set(name: string, value: string | readonly string[]): void {
    const values = (typeof value === 'string' ? [value] : [...value]).map(checkValue);
    const entry = this.#entry(name);
    entry.values = values;
    this.#cache.delete(keyOf(name));
  }

  delete(name: string): void {
    this.#entries.delete(keyOf(name));
    this.#cache.delete(keyOf(name));
  }

  has(name: string): boolean {
    return this.#entries.has(keyOf(name));
  }

  /** First value (or undefined). */
  get(name: string): string | undefined {
    return this.#entries.get(keyOf(name))?.values[0];
  }

  /** Every value in order; list headers give one string per element. */
  getAll(name: string): readonly string[] {
    return this.#entries.get(keyOf(name))?.values ?? [];
  }

  count(name: string): number {
    return this.getAll(name).length;
  }

  /** Canonical names in first-seen order. */
  names(): string[] {
    return [...this.#entries.values()].map((e) => e.name);
  }

  *entries(): IterableIterator<[string, readonly string[]]> {
    for (const e of this.#entries.values()) yield [e.name, e.values];
  }

  clone(): Headers {
    const copy = new Headers();
    for (const e of this.#entries.values()) copy.#push(e.name, [...e.values]);
    return copy;
  }

  /**
   * Typed view of a header, parsed once and kept until the header changes. There is one view
   * per header name (the accessors in message.ts own them). Parsed values are shared: treat
   * them as read-only and write changes back with set().
   */
  parsed<T>(name: string, parse: (values: readonly string[]) => T): T {
    const key = keyOf(name);
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = parse(this.getAll(name));
    this.#cache.set(key, value);
    return value;
  }

  #entry(name: string): Entry {
    const key = keyOf(name);
    let entry = this.#entries.get(key);
    if (!entry) {
      const canonical = canonicalHeaderName(name);
      if (!isToken(canonical)) throw new TypeError(`Invalid header name ${JSON.stringify(name)}`);
      entry = { name: canonical, values: [] };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #push(name: string, values: string[]): void {
    this.#entry(name).values.push(...values);
    this.#cache.delete(keyOf(name));
  }
}
