// The channel and number API as a client sees it: permissions (channels / numbers / phones), zod errors
// naming the field, 409 on duplicates, 404s, the OpenAPI document, numbers listed for IVR binding.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX } from './sipp/calls/kit.ts';

const ADMIN_PW = 'Admin-api-12';

describe('/api/v1/channels, /numbers, /outbound-rights', { timeout: 120_000 }, () => {
  let tb: TestBox;
  let admin: ApiClient;
  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...CALL_BOX });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  });
  after(() => tb?.close());

  async function tokenClient(scopes: string[]): Promise<ApiClient> {
    const t = await admin.post('/tokens', { name: `t-${scopes.join('-')}`, scopes });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const c = new ApiClient(tb.base);
    c.bearer = t.body.token;
    return c;
  }

  it('checks permissions per area', async () => {
    const numbers = await tokenClient(['numbers']);
    assert.equal((await numbers.get('/numbers')).status, 200);
    assert.equal((await numbers.get('/channels')).status, 403);
    assert.equal((await numbers.post('/channels', { name: 'x', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1' } })).status, 403);
    const channels = await tokenClient(['channels']);
    assert.equal((await channels.get('/channels')).status, 200);
    assert.equal((await channels.get('/numbers')).status, 403);
    assert.equal((await channels.get('/outbound-rights')).status, 403);
    const phones = await tokenClient(['phones']);
    assert.equal((await phones.get('/outbound-rights')).status, 200);
    assert.equal((await new ApiClient(tb.base).get('/channels')).status, 401);
  });

  it('answers 400 naming the first bad field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: '', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1' } }, 'name'],
      [{ name: 'a', deviceType: 'pbx', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1' } }, 'deviceType'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'publicTrunk' }, 'publicTrunk'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: 'not a host!' } }, 'publicTrunk.carrierHost'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1', carrierPort: 70000 } }, 'publicTrunk.carrierPort'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1', trustedIps: ['10.0.0.0/33'] } }, 'publicTrunk.trustedIps.0'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'registerOut', registerOut: { username: 'u', server: '192.0.2.1' } }, 'registerOut.password'],
      [{ name: 'a', deviceType: 'sipTrunk', mode: 'registerOut', registerOut: { username: 'u', password: 'p', server: '192.0.2.1', expires: 10 } }, 'registerOut.expires'],
      [{ name: 'a', deviceType: 'analog', capacity: 0, mode: 'registerIn', registerIn: { username: 'gw-a' } }, 'capacity'],
      [{ name: 'a', deviceType: 'analog', mode: 'registerIn', registerIn: { username: 'gw-a', password: 'weakpass' } }, 'registerIn.password'],
      [{ name: 'a', deviceType: 'analog', mode: 'registerIn', registerIn: { username: 'gw-a' }, inboundExtension: '99' }, 'inboundExtension'],
      [{ name: 'a', deviceType: 'analog', mode: 'registerIn', registerIn: { username: 'gw-a' }, extra: 1 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await admin.post('/channels', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.field, field, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    }
    const demo = (await admin.get('/channels')).body[0];
    const n = await admin.post('/numbers', { number: '02A', channelId: demo.id });
    assert.equal(n.status, 400);
    assert.equal(n.body.error.field, 'number');
    const p = await admin.post('/numbers', { number: '02099990000', channelId: demo.id, sendPrefix: 'xx' });
    assert.equal(p.body.error.field, 'sendPrefix');
  });

  it('409 on a duplicate channel name and number; 404 for missing rows; numbers listed by channel and state', async () => {
    const demo = (await admin.get('/channels')).body[0];
    const dupName = await admin.post('/channels', { name: 'demo-trunk', deviceType: 'sipTrunk', mode: 'publicTrunk', publicTrunk: { carrierHost: '192.0.2.1' } });
    assert.equal(dupName.status, 409);
    assert.equal(dupName.body.error.field, 'name');
    const dupNumber = await admin.post('/numbers', { number: '+86 20 8888 0000', channelId: demo.id });
    assert.equal(dupNumber.status, 409);
    assert.equal(dupNumber.body.error.field, 'number');
    assert.equal((await admin.get('/channels/999')).status, 404);
    assert.equal((await admin.del('/numbers/999')).status, 404);
    const added = await admin.post('/numbers', { number: '02088880001', channelId: demo.id });
    assert.equal(added.status, 201);
    assert.equal(added.body.state, 'pending');
    const pending = (await admin.get('/numbers?state=pending')).body;
    assert.deepEqual(pending.map((x: { number: string }) => x.number), ['02088880001']);
    const activated = await admin.post(`/numbers/${added.body.id}/activate`);
    assert.equal(activated.body.state, 'effective');
    assert.deepEqual((await admin.get(`/numbers?channelId=${demo.id}`)).body.map((x: { number: string }) => x.number), ['02088880000', '02088880001']);
    assert.equal((await admin.del(`/channels/${demo.id}`)).status, 409, 'numbers still on it');
    assert.equal((await admin.del(`/numbers/${added.body.id}`)).status, 204);
  });

  it('sets outbound rights per extension and documents everything in OpenAPI', async () => {
    const rights = await admin.put('/outbound-rights/1001', { outbound: true, international: true });
    assert.deepEqual(rights.body, { extension: '1001', outbound: true, international: true });
    const list = (await admin.get('/outbound-rights')).body;
    assert.deepEqual(list.find((r: { extension: string }) => r.extension === '1002'), { extension: '1002', outbound: true, international: false });
    assert.equal((await admin.put('/outbound-rights/7777', { outbound: true, international: false })).status, 404);
    assert.equal((await admin.put('/outbound-rights/12', { outbound: true, international: false })).status, 400);
    const doc = (await admin.get('/openapi.json')).body;
    for (const p of ['/channels', '/channels/{id}', '/channels/{id}/check', '/numbers', '/numbers/{id}/activate', '/outbound-rights/{extension}']) assert.ok(doc.paths[p], p);
  });
});
