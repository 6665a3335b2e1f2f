// The workbench WebSocket against a real demo box: who may open it (session cookie, Origin, CSRF,
// HTTPS from the LAN), the request/response envelope and its errors, one connection per user,
// the agent's media kept through a disconnect for the grace period and closed on logout, and
// RFC 6455 framing violations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { openWs, type WsTestClient } from '../helpers/ws-client.ts';
import { RealtimeHub, encodeFrame, OPCODE } from '../../src/web/realtime/index.ts';
import { createLogger } from '../../src/platform/index.ts';
import type { MediaCoreService } from '../../src/media/index.ts';

describe('workbench WebSocket', () => {
  let tb: TestBox;
  let port: number;
  let origin: string;
  const agent = (): ApiClient => new ApiClient(tb.base);

  before(async () => {
    tb = await startTestBox({ profile: 'demo', webrtcGraceMs: 300 });
    port = tb.box.web.httpPort;
    origin = `http://127.0.0.1:${port}`;
  });
  after(() => tb.close());

  async function connect(api: ApiClient, opts: { csrfQuery?: boolean } = {}): Promise<WsTestClient> {
    const q = opts.csrfQuery ? `?csrf=${encodeURIComponent(api.csrf)}` : '';
    const r = await openWs(`ws://127.0.0.1:${port}/api/v1/ws${q}`, { Origin: origin, Cookie: api.cookie });
    assert.equal(r.status, 101, r.body);
    if (!opts.csrfQuery) {
      const hello = await r.client!.request('hello', { csrf: api.csrf });
      assert.equal(hello.ok, true, JSON.stringify(hello));
    }
    return r.client!;
  }

  const offlineOf = (agentId: number): Promise<{ agentId: number; reason: string }> => new Promise((resolve) => {
    const fn = (e: { agentId: number; reason: string }): void => {
      if (e.agentId !== agentId) return;
      tb.box.realtime.webrtc!.off('agent-offline', fn);
      resolve(e);
    };
    tb.box.realtime.webrtc!.on('agent-offline', fn);
  });

  async function loggedIn(user = '1001@demo.local', pass = 'Agent1001-demo'): Promise<ApiClient> {
    const api = agent();
    assert.equal((await api.login(user, pass)).status, 200);
    return api;
  }

  describe('who may open it', () => {
    it('refuses another path (404), no session (401), a foreign or missing Origin (403), a wrong CSRF query (403)', async () => {
      const api = await loggedIn();
      const url = `ws://127.0.0.1:${port}/api/v1/ws`;
      assert.equal((await openWs(`ws://127.0.0.1:${port}/api/v1/other`, { Origin: origin, Cookie: api.cookie })).status, 404);
      assert.equal((await openWs(url, { Origin: origin })).status, 401);
      assert.equal((await openWs(url, { Origin: origin, Cookie: 'ccbox_session=forged' })).status, 401);
      assert.equal((await openWs(url, { Origin: 'http://evil.example', Cookie: api.cookie })).status, 403);
      assert.equal((await openWs(url, { Cookie: api.cookie })).status, 403);
      assert.equal((await openWs(`${url}?csrf=wrong`, { Origin: origin, Cookie: api.cookie })).status, 403);
    });

    it('HTTPS with the CSRF token in the query: the welcome comes as an event', async () => {
      const api = await loggedIn('1002@demo.local', 'Agent1002-demo');
      const httpsPort = tb.box.web.httpsPort;
      const r = await openWs(`wss://127.0.0.1:${httpsPort}/api/v1/ws?csrf=${api.csrf}`, { Origin: `https://127.0.0.1:${httpsPort}`, Cookie: api.cookie });
      assert.equal(r.status, 101);
      const w = await r.client!.waitEvent('welcome');
      assert.equal(w.data.softphone, true);
      assert.equal(w.data.protocol, 1);
      r.client!.close();
      await r.client!.waitClosed();
    });

    it('a wrong CSRF token in hello, or a request before hello, closes with 4401', async () => {
      const api = await loggedIn();
      const a = (await openWs(`ws://127.0.0.1:${port}/api/v1/ws`, { Origin: origin, Cookie: api.cookie })).client!;
      const res = await a.request('hello', { csrf: 'x'.repeat(api.csrf.length) });
      assert.equal(res.error.code, 'CCBOX_ERR_CSRF');
      assert.equal((await a.waitClosed()).code, 4401);
      const b = (await openWs(`ws://127.0.0.1:${port}/api/v1/ws`, { Origin: origin, Cookie: api.cookie })).client!;
      b.sendRaw(JSON.stringify({ id: 1, method: 'getRouterRtpCapabilities' }));
      assert.equal((await b.waitClosed()).code, 4401);
    });

    it('no hello within the deadline closes with 4408', async () => {
      const hub = new RealtimeHub({ db: tb.box.storage.db, directory: tb.box.directory, log: createLogger({ level: 'silent' }), webrtc: null }, { authTimeoutMs: 150 });
      const server = http.createServer((_, res) => res.end());
      hub.attach(server, { secure: false });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const p = (server.address() as AddressInfo).port;
      try {
        const api = await loggedIn();
        const c = (await openWs(`ws://127.0.0.1:${p}/api/v1/ws`, { Origin: `http://127.0.0.1:${p}`, Cookie: api.cookie })).client!;
        assert.equal((await c.waitClosed()).code, 4408);
      } finally {
        await hub.close();
        server.close();
      }
    });
  });

  describe('requests', () => {
    it('answers by id; unknown methods, bad data and malformed messages get errors naming what was wrong', async () => {
      const c = await connect(await loggedIn());
      const pong = await c.request('ping');
      assert.equal(pong.ok, true);
      assert.equal(typeof pong.data.now, 'number');
      assert.equal((await c.request('nope')).error.code, 'CCBOX_ERR_NOT_FOUND');
      const bad = await c.request('createTransport', { direction: 'sideways' });
      assert.equal(bad.error.code, 'CCBOX_ERR_VALIDATION');
      assert.equal(bad.error.field, 'direction');
      c.sendRaw('{not json');
      c.sendRaw(JSON.stringify({ id: 'abc', method: 'ping' }));
      await c.request('ping'); // answered after the two messages before it
      assert.ok(c.raw.some((t) => JSON.parse(t).id === null && JSON.parse(t).error.code === 'CCBOX_ERR_VALIDATION'));
      assert.ok(c.raw.some((t) => JSON.parse(t).id === 'abc' && JSON.parse(t).ok === true));
      // The keypad goes to the call control's DTMF: a call this agent is not on does not exist for them.
      const kp = await c.request('keypad', { callId: 'c1', digits: '12#' });
      assert.equal(kp.error.code, 'CCBOX_ERR_NOT_FOUND');
      assert.equal((await c.request('keypad', { callId: 'c1', digits: '12x' })).error.field, 'digits');
      c.close();
    });

    it('an administrator gets events but no softphone', async () => {
      const api = await loggedIn('admin', 'Admin-demo-1');
      const c = await connect(api);
      const r = await c.request('getRouterRtpCapabilities');
      assert.equal(r.error.code, 'CCBOX_ERR_FORBIDDEN');
      assert.equal(tb.box.realtime.hub.notify(JSON.parse(c.raw[0]!).data.userId, 'callState', { callId: 'x', state: 'ringing' }), true);
      assert.equal((await c.waitEvent('callState')).data.state, 'ringing');
      c.close();
    });

    it('the microphone must be G.711; transports answer ICE-lite parameters and restart ICE', async () => {
      const c = await connect(await loggedIn());
      const caps = await c.request('getRouterRtpCapabilities');
      assert.deepEqual(caps.data.rtpCapabilities.codecs.map((x: { mimeType: string }) => x.mimeType), ['audio/PCMU', 'audio/PCMA', 'audio/opus']);
      const t = await c.request('createTransport', { direction: 'send' });
      assert.equal(t.data.iceParameters.iceLite, true);
      assert.ok(t.data.iceCandidates.some((x: { address: string }) => x.address === '127.0.0.1'));
      const opus = { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] };
      const r = await c.request('produce', { transportId: t.data.id, kind: 'audio', rtpParameters: opus });
      assert.equal(r.error.code, 'CCBOX_ERR_VALIDATION');
      assert.equal(r.error.field, 'rtpParameters');
      const restart = await c.request('restartIce', { transportId: t.data.id });
      assert.notEqual(restart.data.iceParameters.usernameFragment, t.data.iceParameters.usernameFragment);
      assert.equal((await c.request('restartIce', { transportId: 'nope' })).error.code, 'CCBOX_ERR_NOT_FOUND');
      c.close();
    });
  });

  describe('lifecycle', () => {
    it('a second connection takes over (4409) and inherits the transports', async () => {
      const api = await loggedIn('1003@demo.local', 'Agent1003-demo');
      const a = await connect(api);
      const t = await a.request('createTransport', { direction: 'recv' });
      const b = (await openWs(`ws://127.0.0.1:${port}/api/v1/ws`, { Origin: origin, Cookie: api.cookie })).client!;
      const hello = await b.request('hello', { csrf: api.csrf });
      assert.deepEqual(hello.data.transports, [{ id: t.data.id, direction: 'recv' }]);
      await a.waitEvent('replaced');
      assert.equal((await a.waitClosed()).code, 4409);
      b.close();
      await b.waitClosed();
    });

    it('the agent media outlives a disconnect for the grace period, then closes', async () => {
      const api = await loggedIn('1004@demo.local', 'Agent1004-demo');
      const c = await connect(api);
      await c.request('createTransport', { direction: 'send' });
      const userId = JSON.parse(c.raw[0]!).data.userId as number;
      const webrtc = tb.box.realtime.webrtc!;
      const offline = offlineOf(userId);
      const closedAt = Date.now();
      c.destroy();
      const e = await offline;
      assert.equal(e.agentId, userId);
      assert.equal(e.reason, 'workbench-gone');
      assert.ok(Date.now() - closedAt >= 250, 'kept for the grace period');
      assert.equal(webrtc.agent(userId), undefined);
    });

    it('logout ends the socket (4440) and the agent media at once', async () => {
      const api = await loggedIn('1002@demo.local', 'Agent1002-demo');
      const c = await connect(api);
      await c.request('createTransport', { direction: 'send' });
      const offline = offlineOf(JSON.parse(c.raw[0]!).data.userId as number);
      assert.equal((await api.post('/auth/logout')).status, 204);
      await tb.box.realtime.hub.recheckSessions();
      await c.waitEvent('sessionEnded');
      assert.equal((await c.waitClosed()).code, 4440);
      assert.equal((await offline).reason, 'logout');
    });
  });

  describe('media worker restart', () => {
    it('the WebRTC worker dies: the page is told to start over, and can once the worker is replaced', async () => {
      const api = await loggedIn('1001@demo.local', 'Agent1001-demo');
      const c = await connect(api);
      await c.request('createTransport', { direction: 'send' });
      const pool = (tb.box.media as MediaCoreService).pool;
      const up = tb.box.realtime.webrtc!.waitFor('server-up', 20_000);
      process.kill(pool.workers[0]!.pid, 'SIGKILL');
      const reset = await c.waitEvent('mediaReset', undefined, 10_000);
      assert.equal(reset.data.reason, 'media-worker-died');
      const [{ sockets }] = await up;
      assert.ok(sockets.some((s) => s.protocol === 'udp' && s.ip === '127.0.0.1'));
      const t = await c.request('createTransport', { direction: 'send' });
      assert.equal(t.ok, true, JSON.stringify(t));
      c.close();
    });
  });

  describe('framing (RFC 6455)', () => {
    const fresh = async (): Promise<WsTestClient> => connect(await loggedIn());

    it('a fragmented text message is reassembled; a ping is answered', async () => {
      const c = await fresh();
      const text = Buffer.from(JSON.stringify({ id: 7, method: 'ping' }));
      const first = encodeFrame(OPCODE.text, text.subarray(0, 5), true);
      first[0] = first[0]! & 0x7f; // FIN off
      c.writeBytes(first);
      c.writeBytes(encodeFrame(OPCODE.continuation, text.subarray(5), true));
      await c.request('ping'); // answered after the fragmented one
      assert.ok(c.raw.some((t) => JSON.parse(t).id === 7));
      c.close();
    });

    for (const [name, frame, code] of [
      ['an unmasked frame', () => encodeFrame(OPCODE.text, Buffer.from('{}'), false), 1002],
      ['a binary message', () => encodeFrame(OPCODE.binary, Buffer.from([1, 2, 3]), true), 1003],
      ['invalid UTF-8', () => encodeFrame(OPCODE.text, Buffer.from([0xc3, 0x28]), true), 1007],
      ['a message over the size limit', () => encodeFrame(OPCODE.text, Buffer.alloc(300 * 1024, 0x20), true), 1009],
    ] as const) {
      it(`${name} closes with ${code}`, async () => {
        const c = await fresh();
        c.writeBytes(frame());
        assert.equal((await c.waitClosed()).code, code);
      });
    }
  });
});
