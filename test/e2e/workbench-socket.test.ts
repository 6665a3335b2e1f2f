// The workbench socket as the ACD sees it, against a real demo box: opening the page logs agent 1001 in
// (webLogin), a dropped socket logs them out only after the grace (a reload in time keeps them), logging out
// ends it at once; keypad requests go to the call control's DTMF and answer with its error.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { openWs, type WsTestClient } from '../helpers/ws-client.ts';

const GRACE_MS = 1_500;

describe('workbench socket ↔ ACD presence and keypad', () => {
  let tb: TestBox;
  let agent: ApiClient;
  let admin: ApiClient;
  let agentId = 0;

  before(async () => {
    tb = await startTestBox({ profile: 'demo', adminPassword: 'Admin-socket-1', webrtcGraceMs: GRACE_MS });
    admin = new ApiClient(tb.base);
    await admin.login('admin', 'Admin-socket-1');
    agent = new ApiClient(tb.base);
    assert.equal((await agent.login('1001@demo.local', 'Agent1001-demo')).status, 200);
    agentId = (await agent.get('/auth/me')).body.user.id;
  });
  after(async () => tb?.close());

  const status = async () => (await admin.get(`/agents/${agentId}/status`)).body as { status: string; presence: { web: boolean } };
  /** The ACD changes on the socket's events; wait for it through the API (bounded). */
  async function statusWhen(ok: (s: { status: string; presence: { web: boolean } }) => boolean): Promise<{ status: string; presence: { web: boolean } }> {
    let s = await status();
    for (let i = 0; i < 100 && !ok(s); i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await status();
    }
    return s;
  }
  async function open(api: ApiClient): Promise<WsTestClient> {
    const port = tb.box.web.httpPort;
    const r = await openWs(`ws://127.0.0.1:${port}/api/v1/ws?csrf=${api.csrf}`, { Origin: `http://127.0.0.1:${port}`, Cookie: api.cookie });
    assert.equal(r.status, 101, r.body);
    await r.client!.waitEvent('welcome');
    return r.client!;
  }

  it('the page logs the agent in to the ACD; a drop past the grace logs them out, a reconnect within it does not', async () => {
    assert.equal((await status()).status, 'offline');
    let ws = await open(agent);
    let s = await statusWhen((x) => x.presence.web);
    assert.equal(s.presence.web, true);
    assert.notEqual(s.status, 'offline');
    assert.equal((await agent.put(`/agents/${agentId}/status`, { status: 'idle' })).status, 200);

    // A blip: the socket drops and comes back within the grace — the agent stays available.
    ws.destroy();
    ws = await open(agent);
    await new Promise((r) => setTimeout(r, GRACE_MS + 300)); // past the grace the first drop started
    assert.equal((await status()).status, 'idle');

    // Gone for longer than the grace: offline.
    ws.destroy();
    s = await statusWhen((x) => x.status === 'offline');
    assert.equal(s.status, 'offline');
    assert.equal(s.presence.web, false);
  });

  it('logging out with the page open ends the socket and logs the agent out at once', async () => {
    const ws = await open(agent);
    await statusWhen((x) => x.presence.web);
    const other = new ApiClient(tb.base);
    other.cookie = agent.cookie;
    other.csrf = agent.csrf;
    assert.equal((await other.post('/auth/logout')).status, 204);
    await tb.box.realtime.hub.recheckSessions();
    assert.equal((await ws.waitClosed()).code, 4440);
    const s = await statusWhen((x) => x.status === 'offline');
    assert.equal(s.status, 'offline');
    assert.equal((await agent.login('1001@demo.local', 'Agent1001-demo')).status, 200);
  });

  it('keypad requests reach the call control: a call the agent is not on is not found', async () => {
    const ws = await open(agent);
    const r = await ws.request('keypad', { callId: randomUUID(), digits: '12#' });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'CCBOX_ERR_NOT_FOUND');
    assert.match(r.error.message, /call/);
    const bad = await ws.request('keypad', { callId: randomUUID(), digits: 'x' });
    assert.equal(bad.error.field, 'digits');
    ws.close();
  });
});
