// Number shapes for privacy: the mask agents see (189****8352), and the mapping endpoint's 0086… format
// (country code after 00, no trunk 0) to and from the numbers the box dials.

/** 189****8352: the first three and the last four digits stay; shorter numbers keep less. */
export function maskNumber(n: string): string {
  const plus = n.startsWith('+') ? '+' : '';
  const d = plus ? n.slice(1) : n;
  if (d.length >= 11) return `${plus}${d.slice(0, 3)}****${d.slice(-4)}`;
  if (d.length >= 7) return `${plus}${d.slice(0, 2)}****${d.slice(-2)}`;
  // Extensions and short service numbers are not personal data.
  return n;
}

export const isMasked = (s: string): boolean => s.includes('****');

/** A customer number the box knows (13800138000, 02088880000, +8613800138000, 008613…) as 0086… (or 00cc… abroad). */
export function toMappingFormat(n: string): string {
  const d = n.replace(/[\s-]/g, '');
  if (d.startsWith('+')) return `00${d.slice(1)}`;
  if (d.startsWith('00')) return d;
  if (/^86\d{11}$/.test(d)) return `00${d}`;
  if (d.startsWith('0')) return `0086${d.slice(1)}`;
  return `0086${d}`;
}

/** The endpoint's 0086… number as the box dials it in China: mobiles bare, fixed lines with the trunk 0. */
export function fromMappingFormat(n: string): string | null {
  const d = n.replace(/[\s-]/g, '').replace(/^\+/, '00');
  if (!/^\d{3,24}$/.test(d)) return null;
  if (!d.startsWith('00')) return d;
  if (!d.startsWith('0086')) return d;
  const national = d.slice(4);
  if (/^1\d{10}$/.test(national)) return national;
  return `0${national}`;
}
