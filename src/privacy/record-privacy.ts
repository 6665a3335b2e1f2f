// 号码隐私保护 on 服务记录 for agent roles: the customer's number (the caller of an inbound call, the callee of
// an outbound one) is replaced in the row, everywhere in its detail (legs, IVR path …), and in CSV exports.
import type { Actor } from '../directory/index.ts';
import type { NumberPrivacy } from './number-privacy.ts';

interface RecordLike {
  direction: string;
  caller: string;
  callee: string;
}

const customerOf = (r: RecordLike): string | null => (r.direction === 'inbound' ? r.caller : r.direction === 'outbound' ? r.callee : null);

/** Replaces every string equal to (or holding) a real number with what the agent sees. */
function replaceDeep(v: unknown, shown: Map<string, string>): unknown {
  if (typeof v === 'string') {
    let out = v;
    for (const [real, seen] of shown) if (real !== seen && out.includes(real)) out = out.split(real).join(seen);
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, shown));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, shown)]));
  return v;
}

export async function protectRecords<T extends RecordLike>(privacy: NumberPrivacy | undefined, actor: Actor, rows: T[]): Promise<T[]> {
  if (!privacy || !rows.length || !(await privacy.protects(actor))) return rows;
  const shown = await privacy.presentMany(actor, rows.map(customerOf).filter((n): n is string => !!n));
  return rows.map((r) => {
    const n = customerOf(r);
    if (!n) return r;
    const one = new Map([[n, shown.get(n) ?? n]]);
    return replaceDeep(r, one) as T;
  });
}

export async function protectRecord<T extends RecordLike>(privacy: NumberPrivacy | undefined, actor: Actor, row: T): Promise<T> {
  return (await protectRecords(privacy, actor, [row]))[0]!;
}

/** The export's rows in batches (one mapping request per batch). */
export async function* protectRecordStream<T extends RecordLike>(privacy: NumberPrivacy | undefined, actor: Actor, rows: AsyncIterable<T>, batch = 200): AsyncGenerator<T> {
  if (!privacy || !(await privacy.protects(actor))) {
    yield* rows;
    return;
  }
  let buf: T[] = [];
  for await (const r of rows) {
    buf.push(r);
    if (buf.length >= batch) {
      yield* await protectRecords(privacy, actor, buf);
      buf = [];
    }
  }
  if (buf.length) yield* await protectRecords(privacy, actor, buf);
}
