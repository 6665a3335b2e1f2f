// 条件判断 operators (numeric and text) and 服务时间 with weekly hours, holidays and special days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoursParams } from '../../../src/ivr/flow/index.ts';
import { compare, isOpen } from '../../../src/ivr/nodes/index.ts';
import { FakeClock } from '../../../src/platform/clock.ts';
import { buildFlow, run, snapshotOf, tts } from './ivr-test-kit.ts';

test('compare: = ≠ > < ≥ ≤ as numbers and as text', () => {
  const cases: [string, Parameters<typeof compare>[1], string, 'number' | 'text', boolean][] = [
    ['10', 'gt', '9', 'number', true],
    ['10', 'gt', '9', 'text', false],
    ['10', 'eq', '10.0', 'number', true],
    ['10', 'eq', '10.0', 'text', false],
    ['3', 'ne', '4', 'number', true],
    ['5', 'ge', '5', 'number', true],
    ['5', 'le', '4', 'number', false],
    ['-1', 'lt', '0', 'number', true],
    ['abc', 'lt', 'abd', 'text', true],
    ['VIP', 'eq', 'VIP', 'text', true],
    ['x', 'gt', '1', 'number', false],
    ['', 'eq', '0', 'number', false],
    ['', 'eq', '', 'text', true],
  ];
  for (const [l, op, r, as, want] of cases) assert.equal(compare(l, op, r, as), want, `${l} ${op} ${r} (${as})`);
});

test('the first branch whose conditions all hold wins, else the default', async () => {
  const { def, ids } = buildFlow(
    {
      start: { type: 'start', outlets: { next: 'cond' } },
      cond: {
        type: 'condition',
        params: {
          branches: [
            { id: 'vip', conditions: [{ left: '${Level}', op: 'eq', right: 'VIP' }, { left: '${Amount}', op: 'ge', right: '1000', compare: 'number' }] },
            { id: 'big', conditions: [{ left: '${Amount}', op: 'gt', right: '500', compare: 'number' }] },
          ],
        },
        outlets: { 'branch:vip': 'vip', 'branch:big': 'big', default: 'other' },
      },
      vip: { type: 'play', params: { prompt: tts('vip') }, outlets: { next: 'end' } },
      big: { type: 'play', params: { prompt: tts('big') }, outlets: { next: 'end' } },
      other: { type: 'play', params: { prompt: tts('other') }, outlets: { next: 'end' } },
      end: { type: 'end' },
    },
    [{ name: 'Level', default: '' }, { name: 'Amount', default: '0' }],
  );
  const said = async (vars: Record<string, string>) => {
    const r = run(snapshotOf(def), { variables: vars });
    await r.done;
    return r.plays()[0];
  };
  assert.equal(await said({ Level: 'VIP', Amount: '1000' }), 'vip');
  assert.equal(await said({ Level: 'VIP', Amount: '999' }), 'big');
  assert.equal(await said({ Level: 'normal', Amount: '20' }), 'other');
  assert.equal(await said({}), 'other');
  void ids;
});

const HOURS = hoursParams.parse({
  weekly: [
    { days: [1, 2, 3, 4, 5], ranges: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }] },
    { days: [6], ranges: [{ from: '10:00', to: '16:00' }] },
  ],
  holidays: [{ from: '2026-10-01', to: '2026-10-07', name: '国庆' }, { from: '2026-01-01', name: '元旦' }],
  specialDays: [
    { date: '2026-10-10', ranges: [{ from: '09:00', to: '18:00' }], name: '调休上班' },
    { date: '2026-10-05', ranges: [{ from: '10:00', to: '12:00' }], name: '假期值班' },
    { date: '2026-12-24', ranges: [], name: '平安夜' },
  ],
});
/** Shanghai wall time → epoch (UTC+8, no DST). */
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);

test('weekly hours with a lunch break, in the box time zone', () => {
  assert.equal(isOpen(HOURS, sh('2026-01-05T09:00:00'), 'Asia/Shanghai').open, true, 'Monday 09:00');
  assert.equal(isOpen(HOURS, sh('2026-01-05T08:59:00'), 'Asia/Shanghai').open, false);
  assert.equal(isOpen(HOURS, sh('2026-01-05T12:30:00'), 'Asia/Shanghai').open, false, 'lunch');
  assert.equal(isOpen(HOURS, sh('2026-01-05T17:59:00'), 'Asia/Shanghai').open, true);
  assert.equal(isOpen(HOURS, sh('2026-01-05T18:00:00'), 'Asia/Shanghai').open, false, 'end is exclusive');
  assert.equal(isOpen(HOURS, sh('2026-01-10T11:00:00'), 'Asia/Shanghai').open, true, 'Saturday');
  assert.equal(isOpen(HOURS, sh('2026-01-11T11:00:00'), 'Asia/Shanghai').open, false, 'Sunday');
  // The same instant is Sunday evening in New York.
  assert.equal(isOpen(HOURS, sh('2026-01-05T10:00:00'), 'America/New_York').open, false);
  assert.equal(isOpen({ ...HOURS, timeZone: 'UTC' }, sh('2026-01-05T19:00:00'), 'Asia/Shanghai').open, true, 'node zone overrides the box zone');
});

test('holidays close working days; special days override both', () => {
  assert.equal(isOpen(HOURS, sh('2026-01-01T10:00:00'), 'Asia/Shanghai').open, false, '元旦 (Thursday)');
  assert.equal(isOpen(HOURS, sh('2026-10-06T10:00:00'), 'Asia/Shanghai').open, false, '国庆');
  assert.equal(isOpen(HOURS, sh('2026-10-05T11:00:00'), 'Asia/Shanghai').open, true, 'duty hours inside the holiday');
  assert.equal(isOpen(HOURS, sh('2026-10-05T13:00:00'), 'Asia/Shanghai').open, false);
  assert.equal(isOpen(HOURS, sh('2026-10-10T09:30:00'), 'Asia/Shanghai').open, true, 'make-up Saturday with weekday hours');
  assert.equal(isOpen(HOURS, sh('2026-12-24T10:00:00'), 'Asia/Shanghai').open, false, 'special day with no hours is closed');
  assert.equal(isOpen(HOURS, sh('2026-10-08T10:00:00'), 'Asia/Shanghai').open, true, 'after the holiday');
});

test('the hours node routes on the call clock', async () => {
  const { def } = buildFlow({
    start: { type: 'start', outlets: { next: 'hours' } },
    hours: { type: 'hours', params: HOURS, outlets: { open: 'open', closed: 'closed' } },
    open: { type: 'play', params: { prompt: tts('工作时间') }, outlets: { next: 'end' } },
    closed: { type: 'play', params: { prompt: tts('非工作时间') }, outlets: { next: 'end' } },
    end: { type: 'end' },
  });
  const at = async (iso: string) => {
    const r = run(snapshotOf(def), {}, new FakeClock(sh(iso)));
    await r.done;
    return r.plays()[0];
  };
  assert.equal(await at('2026-01-06T10:00:00'), '工作时间');
  assert.equal(await at('2026-10-02T10:00:00'), '非工作时间');
});
