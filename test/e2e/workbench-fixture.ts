// The box side of the workbench browser test, run inside the test's loopback-only network namespace: a demo
// box (web/dist), and a local HTTPS server for the business pages (a screen-pop page and a CRM page that
// includes the click-to-call SDK). Driven by JSON lines on stdin, one "@@"-prefixed answer line per command:
// api {as: 'admin' | 'agent', method, path, body?} → {status, body}; carrierCall → a sipp carrier on 127.0.0.2
// calls 02088880000 and presses 1 in the demo IVR (售前) → {callId}; carrierTalk {callId, min | minIn + minOut} → RTP
// counts of the caller's leg once both ways passed them; legStats {callId} → the same, now; carrierHangup {callId}; recordWritten {callId};
// outsideAnswer → the carrier at the demo trunk's 127.0.0.2:5080 answers the box's next outbound call; outsideDone
// → its exit code and the INVITE's Request-URI once the box hung up; stop.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { ApiClient, startTestBox } from '../helpers/box.ts';
import { ROOT } from '../helpers/process.ts';
import { CALL_BOX, callScenario, freeMediaPort, freeSipPort, legStatsWhen, sipp, waitBound, type SippProc } from '../integration/sipp/calls/kit.ts';
import { PCAP, pathScenario, poke, until } from '../integration/sipp/call-path/kit.ts';

const tb = await startTestBox({ profile: 'demo', adminPassword: 'Admin-e2e-1', webDist: path.join(ROOT, 'web', 'dist'), webrtcGraceMs: 10_000, ...CALL_BOX });
const httpsPort = tb.box.web.httpsPort;
const boxHttps = `https://127.0.0.1:${httpsPort}`;
const say = (o: unknown): void => void process.stdout.write(`@@${JSON.stringify(o)}\n`);

// The screen-pop page keeps every hash it is given and can post a message to the workbench.
const POP_HTML = `<!doctype html><meta charset="utf-8"><title>客户资料</title><body><h1>客户资料</h1><pre id="hash"></pre>
<script>
window.hashes = [location.hash];
document.getElementById('hash').textContent = location.hash;
addEventListener('hashchange', () => { window.hashes.push(location.hash); document.getElementById('hash').textContent = location.hash; });
window.callOut = (phoneNumber, desc) => parent.postMessage({ source: 'ccc-sdk', type: 'callOut', data: { phoneNumber, desc } }, '*');
window.sendCard = (card) => parent.postMessage({ source: 'ccc-sdk', type: 'sendCard', data: card }, '*');
</script></body>`;

// A business system with the SDK's call bar hidden; it records the SDK's events.
const crmHtml = (): string => `<!doctype html><meta charset="utf-8"><title>CRM</title><body><h1>CRM</h1>
<script>window.sdkEvents = [];</script>
<script src="${boxHttps}/sdk/tccc.js" crossorigin="anonymous" data-hide-call-bar="true"></script>
<script>
for (const name of Object.values(tccc.events)) tccc.on(name, (r) => window.sdkEvents.push({ name, data: r.data }));
</script></body>`;

const tlsDir = path.join(tb.dataDir, 'tls');
const pages = createServer({ cert: readFileSync(path.join(tlsDir, 'cert.pem')), key: readFileSync(path.join(tlsDir, 'key.pem')) }, (req, res) => {
  const url = new URL(req.url ?? '/', 'https://pages');
  const body = url.pathname === '/pop.html' ? POP_HTML : url.pathname === '/crm.html' ? crmHtml() : null;
  if (!body) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
});
await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
const pagesPort = (pages.address() as { port: number }).port;

const admin = new ApiClient(tb.base);
await admin.login('admin', 'Admin-e2e-1');
const agent = new ApiClient(tb.base);
await agent.login('1001@demo.local', 'Agent1001-demo');
const clients: Record<string, ApiClient> = { admin, agent };
// The browser steps can be slow on a loaded machine: offers ring and 话后整理 counts for longer than the defaults, so
// a click never races the ring timeout or the countdown (the behaviours themselves are the ACD's tests).
{
  const view = (await admin.get('/acd/settings')).body as { global: { answer: Record<string, unknown> } };
  const global = { ...view.global, answer: { ...view.global.answer, ringTimeout: { enabled: true, seconds: 120 }, afterCallIdle: { enabled: true, seconds: 120 } } };
  const r = await admin.put('/acd/settings', { skillGroupId: null, settings: global });
  if (r.status !== 200) throw new Error(`acd settings: ${r.status} ${JSON.stringify(r.body)}`);
}

const carriers = new Map<string, { run: SippProc; port: number; sipCallId: string }>();
let outside: SippProc | null = null;
const written = new Set<string>();
tb.box.callCenter.telephony.calls.on('record-written', ({ call }) => void written.add(call.id));
const calls = () => tb.box.callCenter.telephony.calls;
const onCalls = (fire: () => void) => {
  const c = calls();
  c.on('leg-answered', fire).on('call-started', fire).on('call-ended', fire);
  return () => void c.off('leg-answered', fire).off('call-started', fire).off('call-ended', fire);
};

/** The customer 13800138000 calls the demo number through demo-trunk and presses 1 (售前) once the IVR answered. */
async function carrierCall(): Promise<{ callId: string }> {
  const port = await freeSipPort('127.0.0.2');
  const known = new Set(calls().list().map((c) => c.id));
  const run = sipp({
    scenario: pathScenario('carrier.xml'), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`, localIp: '127.0.0.2', port,
    mediaPort: await freeMediaPort('127.0.0.2'), service: '02088880000',
    keys: { caller: '13800138000', pcap1: PCAP('dtmf_2833_1.pcap'), pcap2: PCAP('g711a.pcap'), pcap3: PCAP('dtmf_2833_1.pcap') }, timeoutS: 120,
  });
  const call = await until('the box to answer the carrier', onCalls, () => calls().list().find((c) => !known.has(c.id) && c.direction === 'inbound' && c.state === 'answered'), 30_000);
  const sipCallId = call.legs[0]!.sipCallId;
  carriers.set(call.id, { run, port, sipCallId });
  await poke('127.0.0.2', port, sipCallId, 1);
  return { callId: call.id };
}

async function handle(cmd: Record<string, any>): Promise<unknown> {
  switch (cmd.cmd) {
    case 'carrierCall':
      return carrierCall();
    case 'carrierTalk': {
      // The customer talks (g711a.pcap) until RTP has crossed the caller's leg both ways.
      const c = carriers.get(cmd.callId)!;
      await poke('127.0.0.2', c.port, c.sipCallId, 2);
      const minIn = cmd.minIn ?? cmd.min;
      const minOut = cmd.minOut ?? cmd.min;
      const s = await legStatsWhen(tb.box, cmd.callId, `${cmd.callId}:caller`, (x) => x.rtpIn >= minIn && x.rtpToPhone >= minOut, 30_000);
      return { rtpIn: s.rtpIn, rtpToPhone: s.rtpToPhone };
    }
    case 'legStats': {
      const s = await legStatsWhen(tb.box, cmd.callId, `${cmd.callId}:caller`, () => true);
      return { rtpIn: s.rtpIn, rtpToPhone: s.rtpToPhone };
    }
    case 'recordWritten':
      return until('the call record', (fire) => {
        calls().on('record-written', fire);
        return () => void calls().off('record-written', fire);
      }, () => (written.has(cmd.callId) ? {} : undefined), 30_000);
    case 'carrierHangup': {
      const c = carriers.get(cmd.callId)!;
      carriers.delete(cmd.callId);
      await poke('127.0.0.2', c.port, c.sipCallId, 9);
      const r = await c.run.done;
      return { code: r.code };
    }
    case 'outsideAnswer': {
      outside?.kill();
      outside = sipp({ scenario: callScenario('carrier-answer.xml'), target: `127.0.0.1:${tb.box.sip.transport.portOf('udp')}`, localIp: '127.0.0.2', port: 5080, mediaPort: await freeMediaPort('127.0.0.2'), service: 'carrier', timeoutS: 120 });
      await waitBound(5080, 'udp', '127.0.0.2');
      return {};
    }
    case 'outsideDone': {
      const r = await outside!.done;
      outside = null;
      const ruri = /INVITE ruri=\[([^\]]*)\]/.exec(r.output + r.messages)?.[1] ?? /^INVITE (\S+) SIP\/2\.0/m.exec(r.messages)?.[1] ?? '';
      return { code: r.code, ruri, errors: r.code === 0 ? '' : r.errors || r.output };
    }
    case 'aside':
      // A self-service flow or digit collection running on the customer's leg (null once back with the agent).
      return { aside: tb.box.callCenter.notebook.peek(cmd.callId)?.aside ?? null };
    case 'api': {
      const r = await clients[cmd.as ?? 'admin']!.call(cmd.method ?? 'GET', cmd.path, cmd.body);
      return { status: r.status, body: r.body };
    }
    case 'stop':
      for (const c of carriers.values()) c.run.kill();
      outside?.kill();
      pages.close();
      await tb.close();
      return {};
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as Record<string, any>;
  handle(cmd).then(
    (r) => {
      say({ id: cmd.id, ok: true, data: r });
      if (cmd.cmd === 'stop') setTimeout(() => process.exit(0), 50);
    },
    (err: Error) => say({ id: cmd.id, ok: false, error: String(err.stack ?? err) }),
  );
});
say({ ready: true, httpsPort, pagesPort, webrtc: await tb.box.realtime.webrtc!.sockets() });
