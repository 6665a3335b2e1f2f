// 服务时间: weekly hours plus holidays and special days, in the box's time zone → 工作时间 / 非工作时间.
import type { HoursParams } from '../flow/index.ts';
import { defineNode } from './node-kit.ts';

interface LocalTime {
  date: string;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  hhmm: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(new Date(epochMs));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday: WEEKDAYS[get('weekday')] ?? 0, hhmm: `${get('hour')}:${get('minute')}` };
}

const inRanges = (hhmm: string, ranges: readonly { from: string; to: string }[]): boolean => ranges.some((r) => hhmm >= r.from && hhmm < r.to);

/** Special days win over holidays, holidays over the week. */
export function isOpen(p: HoursParams, epochMs: number, timeZone: string): { open: boolean; why: string } {
  const t = localTime(epochMs, p.timeZone ?? timeZone);
  const special = p.specialDays.find((s) => s.date === t.date);
  if (special) return { open: inRanges(t.hhmm, special.ranges), why: `specialDay ${t.date}` };
  const holiday = p.holidays.find((h) => t.date >= h.from && t.date <= (h.to ?? h.from));
  if (holiday) return { open: false, why: `holiday ${holiday.name || holiday.from}` };
  const open = p.weekly.some((w) => w.days.includes(t.weekday) && inRanges(t.hhmm, w.ranges));
  return { open, why: `weekly ${t.weekday} ${t.hhmm}` };
}

export const createHoursNode = defineNode<HoursParams>('hours', async (ctx, p) => {
  const r = isOpen(p, ctx.call.now(), ctx.timeZone);
  ctx.trace.event(ctx.node.id, r.open ? 'open' : 'closed', { why: r.why });
  return { outlet: r.open ? 'open' : 'closed' };
});
