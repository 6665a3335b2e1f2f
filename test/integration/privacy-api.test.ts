// 号码隐私保护 against a real box and a local HTTPS mapping server (PhoneToUID / UIDToPhone) on loopback:
// settings (secret sealed, never returned, https only, settings permission), 掩码保护 on records, the CSV
// export, live calls and workbench events for agent roles while the administrator sees real numbers, and
// user-ID mapping with BasicAuth and OAuth2 client credentials, the short cache, and slow and failing answers
// that never leak a number.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordInput } from '../../src/records/index.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { openWs, type WsTestClient } from '../helpers/ws-client.ts';

const ADMIN_PW = 'Admin-privacy-1';
const CUSTOMER = '13800138000';
const MASKED = '138****8000';

function inbound(id: string, caller: string): RecordInput {
  const at = Date.now() - 60_000;
  return {
    id, direction: 'inbound', startedAt: at, endedAt: at + 30_000, caller, callee: '02088880000', number: '02088880000', channelId: null, channelName: null,
    agent: null, skillGroup: null, skillGroupIds: [], endStatus: 'normal', endCause: '正常结束', hangupSide: 'caller',
    ringMs: 2000, talkMs: 20_000, queueMs: 5000, ivrKeys: '1', satisfaction: null, remark: '', recording: null, voicemail: null,
    detail: { legs: [{ party: caller, note: `from ${caller}` }] as never, ivr: null, queue: [], offers: [], transfers: [], notes: [`caller ${caller}`] },
  };
}

interface Seen { path: string; auth: string; body: any }

/** The site's mapping service: 0086 numbers ↔ customer IDs; behaviour switchable per test. */
class MappingServer {
  server!: Server;
  port = 0;
  seen: Seen[] = [];
  tokens = 0;
  behaviour: 'ok' | 'slow' | 'code' | 'http500' = 'ok';
  readonly phoneToUid = new Map([['008613800138000', 'CUST-0001'], ['00862088880001', 'CUST-0002']]);
  private slowTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly basic: string, private readonly client: string) {}

  async start(cert: string, key: string): Promise<void> {
    this.server = createServer({ cert, key }, (req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const auth = req.headers.authorization ?? '';
        if (req.url === '/oauth/token') {
          const form = new URLSearchParams(raw);
          if (auth !== `Basic ${Buffer.from(this.client).toString('base64')}` || form.get('grant_type') !== 'client_credentials') return void res.writeHead(401).end();
          this.tokens++;
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${this.tokens}`, token_type: 'bearer', expires_in: 3600 }));
        }
        const body = JSON.parse(raw || '{}');
        this.seen.push({ path: req.url ?? '', auth, body });
        const okAuth = auth === `Basic ${Buffer.from(this.basic).toString('base64')}` || /^Bearer tok-\d+$/.test(auth);
        if (!okAuth) return void res.writeHead(401).end();
        if (this.behaviour === 'http500') return void res.writeHead(500).end('boom');
        if (this.behaviour === 'code') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Code: 1002, Message: 'quota' }));
        const results = (body.Numbers as string[]).flatMap((k) => {
          const v = body.Mode === 'PhoneToUID' ? this.phoneToUid.get(k) : [...this.phoneToUid].find(([, u]) => u === k)?.[0];
          return v ? [{ Key: k, Value: v }] : [];
        });
        const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Code: 0, Results: results }));
        if (this.behaviour === 'slow') {
          const t = setTimeout(() => (this.slowTimers.delete(t), send()), 3_000);
          this.slowTimers.add(t);
        } else send();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const t of this.slowTimers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('号码隐私保护 (number privacy)', () => {
  let tb: TestBox;
  let admin: ApiClient;
  let agent: ApiClient;
  let agentId = 0;
  let map: MappingServer;
  let ca = '';
  const recId = randomUUID();
  const fixedId = randomUUID();
  const url = (): string => `https://127.0.0.1:${map.port}/map`;

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW });
    admin = new ApiClient(tb.base);
    assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
    agent = new ApiClient(tb.base);
    assert.equal((await agent.login('1001@demo.local', 'Agent1001-demo')).status, 200);
    agentId = (await agent.get('/auth/me')).body.user.id;
    const tls = path.join(tb.dataDir, 'tls');
    ca = readFileSync(path.join(tls, 'cert.pem'), 'utf8');
    map = new MappingServer('ccbox:Map-secret-1', 'ccbox-client:Client-secret-9');
    await map.start(ca, readFileSync(path.join(tls, 'key.pem'), 'utf8'));
    // An answered inbound call of 13800138000 that agent 1001 took, and one of a fixed line.
    const r1 = inbound(recId, CUSTOMER);
    r1.agent = { agentId, name: 'Agent 1001', staffNo: '1001', device: 'web' };
    const r2 = inbound(fixedId, '02088880001');
    r2.agent = { agentId, name: 'Agent 1001', staffNo: '1001', device: 'web' };
    await tb.box.callCenter.records.write(r1, Date.now());
    await tb.box.callCenter.records.write(r2, Date.now());
  });
  after(async () => {
    await tb?.close();
    await map?.stop();
  });

  const basicUid = (over: Record<string, unknown> = {}) => ({
    mode: 'uid',
    endpoint: { url: url(), auth: { kind: 'basic', username: 'ccbox' }, caCertPem: ca, timeoutMs: 1_000, cacheTtlMs: 60_000, ...over },
    secret: 'Map-secret-1',
  });

  it('settings: off by default; https only; the secret is sealed and never returned; settings permission only', async () => {
    assert.deepEqual((await admin.get('/settings/privacy')).body, { mode: 'off', endpoint: null, secretSet: false });
    assert.equal((await agent.get('/settings/privacy')).status, 403);
    assert.equal((await agent.put('/settings/privacy', { mode: 'off' })).status, 403);
    let r = await admin.put('/settings/privacy', { ...basicUid(), endpoint: { ...basicUid().endpoint, url: `http://127.0.0.1:${map.port}/map` } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'endpoint.url');
    r = await admin.put('/settings/privacy', { mode: 'uid' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'endpoint');
    r = await admin.put('/settings/privacy', basicUid());
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.secretSet, true);
    assert.ok(!JSON.stringify(r.body).includes('Map-secret-1'));
    assert.ok(!JSON.stringify((await admin.get('/settings/privacy')).body).includes('Map-secret-1'));
    const row = await tb.box.storage.db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'privacy'");
    assert.ok(row && !row.value.includes('Map-secret-1'), 'sealed at rest');
    // Saving without a secret keeps it.
    r = await admin.put('/settings/privacy', { mode: 'mask', endpoint: basicUid().endpoint });
    assert.equal(r.body.secretSet, true);
  });

  it('掩码保护: the agent sees 138****8000 in records, details and the export; the administrator sees the number', async () => {
    assert.equal((await admin.put('/settings/privacy', { mode: 'mask' })).status, 200);
    const mine = (await agent.get('/records?page=1&pageSize=50')).body.items as { id: string; caller: string }[];
    assert.equal(mine.find((x) => x.id === recId)?.caller, MASKED);
    assert.equal(mine.find((x) => x.id === fixedId)?.caller, '020****0001');
    const detail = await agent.get(`/records/${recId}`);
    assert.equal(detail.body.caller, MASKED);
    assert.ok(!JSON.stringify(detail.body).includes(CUSTOMER), 'nowhere in the detail');
    assert.equal((await agent.patch(`/records/${recId}`, { remark: '回访' })).body.caller, MASKED);
    const csv = await agent.get('/records/export.csv');
    assert.equal(csv.status, 200);
    assert.ok(String(csv.body).includes(MASKED) && !String(csv.body).includes(CUSTOMER), 'the export is masked');
    assert.equal((await admin.get(`/records/${recId}`)).body.caller, CUSTOMER);
    assert.ok(String((await admin.get('/records/export.csv')).body).includes(CUSTOMER));
  });

  it('掩码保护: the agent calls back a mask they were shown; an unknown mask is refused without a number', async () => {
    await agent.get('/records?page=1&pageSize=50');
    const unknown = await agent.post('/calls', { to: '139****0000' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.field, 'to');
    // A mask the agent saw resolves on the box: the call goes on to the agent's device (none online here).
    const back = await agent.post('/calls', { to: MASKED });
    assert.equal(back.status, 409, JSON.stringify(back.body));
    assert.equal(back.body.error.field, 'device', 'the number was resolved; the call stopped at the agent’s device');
    assert.ok(!JSON.stringify(back.body).includes(CUSTOMER), JSON.stringify(back.body));
  });

  it('添加至黑名单 from the workbench: by call, the number stays on the box; a repeat says so without the number', async () => {
    const r = await agent.post(`/workbench/calls/${recId}/blacklist`, {});
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.ok(!JSON.stringify(r.body).includes(CUSTOMER));
    const again = await agent.post(`/workbench/calls/${recId}/blacklist`, {});
    assert.equal(again.status, 409);
    assert.ok(!JSON.stringify(again.body).includes(CUSTOMER), JSON.stringify(again.body));
    assert.equal((await agent.post(`/workbench/calls/${randomUUID()}/blacklist`, {})).status, 404, 'not one of the agent’s calls');
    const list = (await admin.get('/call-settings/blacklist?page=1&pageSize=50')).body.items as { id: number; number: string }[];
    const entry = list.find((x) => x.number === CUSTOMER);
    assert.ok(entry, JSON.stringify(list));
    assert.equal((await admin.del(`/call-settings/blacklist/${entry.id}`)).status, 204);
  });

  it('workbench events: a ringing call reaches the agent masked, with the 归属地 looked up on the box', async () => {
    const origin = `https://127.0.0.1:${tb.box.web.httpsPort}`;
    const ws = await openWs(`wss://127.0.0.1:${tb.box.web.httpsPort}/api/v1/ws?csrf=${agent.csrf}`, { Origin: origin, Cookie: agent.cookie });
    assert.equal(ws.status, 101, ws.body);
    const client = ws.client as WsTestClient;
    await client.waitEvent('welcome');
    const callId = randomUUID();
    assert.equal(tb.box.realtime.hub.notify(agentId, 'callOffer', { offerId: 'o1', callId, callerNumber: CUSTOMER, calleeNumber: '02088880000', data: {} }), true);
    tb.box.realtime.hub.notify(agentId, 'callState', { callId, state: 'connected', number: CUSTOMER });
    const offer = await client.waitEvent('callOffer', (d) => d.callId === callId);
    assert.equal(offer.data.callerNumber, MASKED);
    assert.equal(offer.data.calleeNumber, '02088880000', 'our own number is not personal');
    assert.match(offer.data.location, /北京/);
    assert.equal(offer.data.customerRemark, '回访', 'the remark on this customer’s last call');
    const state = await client.waitEvent('callState', (d) => d.callId === callId);
    assert.equal(state.data.number, MASKED);
    assert.ok(client.raw.every((t) => !t.includes(CUSTOMER)), 'the number never crossed the socket');
    client.close();
  });

  it('用户 ID (BasicAuth): records show the customer ID, dialling an ID asks UIDToPhone, answers are cached', async () => {
    assert.equal((await admin.put('/settings/privacy', basicUid())).status, 200);
    map.seen = [];
    const rows = (await agent.get('/records?page=1&pageSize=50')).body.items as { id: string; caller: string }[];
    assert.equal(rows.find((x) => x.id === recId)?.caller, 'CUST-0001');
    assert.equal(rows.find((x) => x.id === fixedId)?.caller, 'CUST-0002');
    assert.equal(map.seen.length, 1);
    assert.equal(map.seen[0]!.body.Mode, 'PhoneToUID');
    assert.deepEqual([...map.seen[0]!.body.Numbers].sort(), ['008613800138000', '00862088880001']);
    assert.equal(map.seen[0]!.auth, `Basic ${Buffer.from('ccbox:Map-secret-1').toString('base64')}`);
    await agent.get('/records?page=1&pageSize=50');
    assert.equal(map.seen.length, 1, 'the second list is served from the cache');
    // The administrator is not mapped.
    assert.equal((await admin.get(`/records/${recId}`)).body.caller, CUSTOMER);

    // A user ID the agent was never shown: the box asks UIDToPhone (0086… → 02088880001 as dialled).
    assert.equal((await admin.put('/settings/privacy', basicUid())).status, 200); // clears caches
    map.seen = [];
    const dial = await agent.post('/calls', { to: 'CUST-0002' });
    assert.equal(dial.status, 409, JSON.stringify(dial.body));
    assert.equal(dial.body.error.field, 'device', 'resolved; the call stopped at the agent’s device');
    assert.deepEqual(map.seen.map((s) => [s.body.Mode, s.body.Numbers]), [['UIDToPhone', ['CUST-0002']]]);
    assert.ok(!JSON.stringify(dial.body).includes('2088880001'), JSON.stringify(dial.body));
    const unknown = await agent.post('/calls', { to: 'CUST-9999' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.field, 'to');
  });

  it('用户 ID (OAuth2 client credentials): one token for several requests, the secret in the token request only', async () => {
    const r = await admin.put('/settings/privacy', {
      mode: 'uid',
      endpoint: { url: url(), auth: { kind: 'oauth2', tokenUrl: `https://127.0.0.1:${map.port}/oauth/token`, clientId: 'ccbox-client' }, caCertPem: ca, timeoutMs: 1_000, cacheTtlMs: 0 },
      secret: 'Client-secret-9',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    map.seen = [];
    map.tokens = 0;
    for (let i = 0; i < 3; i++) assert.equal((await agent.get(`/records/${recId}`)).body.caller, 'CUST-0001');
    assert.equal(map.seen.length, 3, 'no cache (cacheTtlMs 0)');
    assert.equal(map.tokens, 1, 'the token is reused');
    assert.ok(map.seen.every((s) => s.auth === 'Bearer tok-1'));
  });

  it('a failing or slow endpoint: the agent sees the mask (never the number) and dialling gets a clear error', async () => {
    assert.equal((await admin.put('/settings/privacy', basicUid({ cacheTtlMs: 0, timeoutMs: 500 }))).status, 200);
    for (const b of ['code', 'http500', 'slow'] as const) {
      map.behaviour = b;
      const row = await agent.get(`/records/${recId}`);
      assert.equal(row.status, 200);
      assert.equal(row.body.caller, MASKED, `${b}: falls back to the mask`);
      const dial = await agent.post('/calls', { to: 'CUST-0001' });
      assert.equal(dial.status, b === 'slow' ? 504 : 503, `${b}: ${JSON.stringify(dial.body)}`);
      assert.match(dial.body.error.message, /号码映射服务/);
      assert.ok(!JSON.stringify(dial.body).includes('13800138000') && !JSON.stringify(dial.body).includes('CUST-0001'), JSON.stringify(dial.body));
    }
    map.behaviour = 'ok';
    assert.equal((await agent.get(`/records/${recId}`)).body.caller, 'CUST-0001', 'back once the endpoint answers');
    // Wrong secret: the endpoint says 401, the agent sees the mask.
    assert.equal((await admin.put('/settings/privacy', { ...basicUid({ cacheTtlMs: 0 }), secret: 'wrong' })).status, 200);
    assert.equal((await agent.get(`/records/${recId}`)).body.caller, MASKED);
    await admin.put('/settings/privacy', { mode: 'off' });
    assert.equal((await agent.get(`/records/${recId}`)).body.caller, CUSTOMER, 'off: real numbers again');
  });
});
