// Chromium as a browser agent bridged to a SIP-side leg, with the box and the browser inside a
// network namespace that has only `lo` (ICE uses 127.0.0.1, nothing leaves loopback). The page is
// the softphone module (web/src/softphone) built by Vite and served by the box itself; the SIP
// side is a UDP RTP endpoint through the RTP edge. RTP must flow both ways: packets counted at the
// SIP endpoint, inbound-rtp from the page's RTCPeerConnection.getStats.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, haveChromium } from '../helpers/browser.ts';
import { ROOT } from '../helpers/process.ts';
import { FixtureProcess } from '../helpers/fixture-process.ts';

const canNetns = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !haveChromium ? 'Debian chromium is not installed' : !canNetns ? 'needs root and ip netns' : false;

const PAGE = `<!doctype html><meta charset="utf-8"><title>softphone test</title>
<script src="/softphone-test.js"></script>
<script src="/softphone-test-page.js"></script>`;

// In a file of its own: the box's CSP allows scripts from 'self' only, not inline ones.
const PAGE_SCRIPT = `
window.methods = [];
window.runSoftphone = async (username, password, law) => {
  const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (r.status !== 200) throw new Error('login failed: ' + r.status);
  const { csrfToken } = await r.json();
  const socket = new CcboxSoftphone.WorkbenchSocket({ csrf: csrfToken });
  const request = socket.request.bind(socket);
  socket.request = (m, d, t) => { window.methods.push(m); return request(m, d, t); };
  const welcome = await socket.connect();
  const phone = new CcboxSoftphone.Softphone({ socket, law });
  await phone.start();
  window.socket = socket;
  window.phone = phone;
  return welcome;
};
/** inbound-rtp of the receive transport's RTCPeerConnection, per codec mime type. */
window.inbound = async () => {
  const report = await window.phone.transports.recv.getStats();
  const codecs = {};
  report.forEach((r) => { if (r.type === 'codec') codecs[r.id] = r.mimeType; });
  const out = [];
  report.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') out.push({ packets: r.packetsReceived, mime: codecs[r.codecId] }); });
  return out;
};
`;

describe('WebRTC browser leg (Chromium in a loopback-only namespace)', { skip }, () => {
  const ns = `ccbox-wrtc-${process.pid}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccbox-wrtc-'));
  let fixture: FixtureProcess;
  let browser: Browser;
  let page: Page;
  let agentId: number;

  before(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const out: any = await build({
      configFile: false, logLevel: 'silent', root: path.join(ROOT, 'web'),
      build: { write: false, minify: false, lib: { entry: path.join(ROOT, 'web/src/softphone/index.ts'), formats: ['iife'], name: 'CcboxSoftphone', fileName: () => 'softphone.js' } },
    });
    const webDist = path.join(tmp, 'web');
    mkdirSync(webDist);
    writeFileSync(path.join(webDist, 'index.html'), PAGE);
    writeFileSync(path.join(webDist, 'softphone-test.js'), (Array.isArray(out) ? out[0] : out).output[0].code);
    writeFileSync(path.join(webDist, 'softphone-test-page.js'), PAGE_SCRIPT);
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', path.join(ROOT, 'test/integration/webrtc-fixture.ts')], {
      cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CCBOX_LOG_LEVEL: 'silent', CCBOX_WEB_DIST: webDist },
    });
    fixture = new FixtureProcess(child);
    const ready = await fixture.ready;
    // Chromium runs in the namespace too; playwright talks to it over its pipe, which crosses namespaces.
    const wrapper = path.join(tmp, 'chromium-in-netns.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
    browser = await chromium.launch({
      executablePath: wrapper, headless: true, timeout: 60_000,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required',
      ],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${ready.httpPort}/`);
    const welcome = await page.evaluate(() => (window as any).runSoftphone('1001@demo.local', 'Agent1001-demo', 'pcma'));
    agentId = welcome.userId;
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (fixture) {
      await fixture.call('stop', {}, 20_000).catch(() => undefined);
      fixture.child.kill('SIGKILL');
    }
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  const inbound = (): Promise<{ packets: number; mime: string }[]> => page.evaluate(() => (window as any).inbound());
  const waitInbound = (mime: string, min: number): Promise<unknown> =>
    page.waitForFunction(async ([m, n]) => ((await (window as any).inbound()) as { packets: number; mime: string }[]).some((s) => s.mime === m && s.packets >= (n as number)), [mime, min] as const, { polling: 100, timeout: 20_000 });

  it('the agent is online with its send and receive transports before any call', async () => {
    const a = await fixture.call('agent', { agentId });
    assert.equal(a.online, true);
    assert.deepEqual(a.transports.map((t: { direction: string }) => t.direction).sort(), ['recv', 'send']);
    assert.equal(await page.evaluate(() => (window as any).phone.state), 'ready');
  });

  let call1 = '';
  it('PCMA call: RTP flows from the browser to the SIP side and back', async () => {
    const before = (await page.evaluate(() => (window as any).methods.length)) as number;
    const c = await fixture.call('call', { agentId, law: 'pcma' });
    call1 = c.callId;
    assert.equal(c.law, 'pcma');
    const sip = await fixture.call('waitRtp', { callId: call1, min: 50, timeoutMs: 20_000 });
    assert.ok(sip.received >= 50, `SIP side received ${sip.received}`);
    await waitInbound('audio/PCMA', 50);
    // Answering cost no new transport or handshake: only consume + resume went over the socket.
    const methods = ((await page.evaluate(() => (window as any).methods)) as string[]).slice(before);
    assert.deepEqual(methods, ['consume', 'resume']);
  });

  it('hang-up closes the browser consumer; the transports stay for the next call', async () => {
    await fixture.call('hangup', { callId: call1 });
    await page.waitForFunction(() => (window as any).phone.remoteSources.length === 0, undefined, { timeout: 10_000 });
    const a = await fixture.call('agent', { agentId });
    assert.equal(a.transports.length, 2);
  });

  let call2 = '';
  it('PCMU call: the box asks the browser for its microphone in µ-law, audio flows both ways', async () => {
    const c = await fixture.call('call', { agentId, law: 'pcmu' });
    call2 = c.callId;
    assert.equal(c.law, 'pcmu');
    assert.ok(await page.evaluate(() => !!(window as any).phone.producerFor('pcmu')));
    await fixture.call('waitRtp', { callId: call2, min: 50, timeoutMs: 20_000 });
    await waitInbound('audio/PCMU', 50);
  });

  it('after the WebSocket drops, the page reconnects, restarts ICE on the same transports and the call goes on', async () => {
    const sipBefore = await fixture.call('stats', { callId: call2 });
    const before = (await page.evaluate(() => (window as any).methods.length)) as number;
    const reconnected = page.waitForFunction((n) => (window as any).methods.slice(n).filter((m: string) => m === 'restartIce').length === 2
      && (window as any).phone.state === 'ready', before, { timeout: 20_000 });
    await page.evaluate(() => (window as any).socket.drop());
    await reconnected;
    const methods = ((await page.evaluate(() => (window as any).methods)) as string[]).slice(before);
    assert.ok(!methods.includes('createTransport'), methods.join(','));
    await fixture.call('waitRtp', { callId: call2, min: sipBefore.received + 50, timeoutMs: 20_000 });
    const pcmu = (await inbound()).find((s) => s.mime === 'audio/PCMU')!;
    await waitInbound('audio/PCMU', pcmu.packets + 50);
    await fixture.call('hangup', { callId: call2 });
  });
});
