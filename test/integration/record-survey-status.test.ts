// 服务记录 tell "survey offered, the customer gave no key" (未评价) from "no survey": surveyStatus in the list,
// the detail and the CSV export, through the HTTP API; records written before the status existed derive it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordInput } from '../../src/records/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';

const ADMIN_PW = 'Admin-survey-1';

function callRecord(id: string, at: number, satisfaction: RecordInput['satisfaction']): RecordInput {
  return {
    id, direction: 'inbound', startedAt: at, endedAt: at + 30_000, caller: '13800138000', callee: '02088880000', number: '02088880000', channelId: null, channelName: null,
    agent: null, skillGroup: null, skillGroupIds: [], endStatus: 'normal', endCause: '正常结束', hangupSide: 'caller',
    ringMs: 2000, talkMs: 20_000, queueMs: 0, ivrKeys: '1', satisfaction, remark: id, recording: null, voicemail: null,
    detail: { legs: [], ivr: null, queue: [], offers: [], transfers: [], notes: [] },
  };
}

describe('call records: survey offered but not answered', () => {
  let tb: TestBox;
  let admin: ApiClient;
  const t0 = Date.now() - 3_600_000;

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, mediaWorkers: 1, mediaEdgeWorkers: 1 });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    const records = tb.box.callCenter.records;
    // As the call side hands them over: no survey; survey without a key ({null, null}); answered.
    await records.write(callRecord('00000000-0000-4000-8000-000000000001', t0, null), Date.now());
    await records.write(callRecord('00000000-0000-4000-8000-000000000002', t0 + 1000, { key: null, label: null }), Date.now());
    await records.write(callRecord('00000000-0000-4000-8000-000000000003', t0 + 2000, { key: '1', label: '满意' }), Date.now());
  });
  after(() => tb?.close());

  const byRemark = async (): Promise<Record<string, any>> => {
    const r = await admin.get(`/records?from=${t0 - 1}&to=${t0 + 10_000}&pageSize=10`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Object.fromEntries(r.body.items.map((i: any) => [i.remark.slice(-1), i]));
  };

  it('the list and the detail say none / offered / answered', async () => {
    const rows = await byRemark();
    assert.deepEqual([rows['1'].surveyStatus, rows['1'].satisfaction], ['none', null]);
    assert.deepEqual([rows['2'].surveyStatus, rows['2'].satisfaction], ['offered', null]);
    assert.deepEqual([rows['3'].surveyStatus, rows['3'].satisfaction], ['answered', { key: '1', label: '满意' }]);
    const detail = await admin.get('/records/00000000-0000-4000-8000-000000000002');
    assert.equal(detail.status, 200);
    assert.equal(detail.body.surveyStatus, 'offered');
    assert.equal(detail.body.satisfaction, null);
  });

  it('the CSV export writes 未评价 for an offered survey and nothing when there was none', async () => {
    const r = await admin.get(`/records/export.csv?from=${t0 - 1}&to=${t0 + 10_000}`);
    assert.equal(r.status, 200);
    const lines = String(r.body).split('\r\n');
    const line = (id: string): string => lines.find((l) => l.startsWith(id)) ?? '';
    assert.ok(line('00000000-0000-4000-8000-000000000002').includes(',未评价,'), line('00000000-0000-4000-8000-000000000002'));
    assert.ok(!line('00000000-0000-4000-8000-000000000001').includes('未评价'));
    assert.ok(line('00000000-0000-4000-8000-000000000003').includes(',满意,'));
  });

  it('records written before the status was kept derive it from the stored key', async () => {
    await tb.box.storage.db.run("UPDATE call_records SET detail = json_remove(detail, '$.surveyStatus') WHERE started_at BETWEEN ? AND ?", [t0, t0 + 10_000]);
    const rows = await byRemark();
    assert.deepEqual([rows['1'].surveyStatus, rows['2'].surveyStatus, rows['3'].surveyStatus], ['none', 'none', 'answered']);
  });
});
