// The box side of the browser-leg test, run inside the test's network namespace: a demo box plus a
// SIP-side RTP endpoint, driven by JSON lines on stdin (one answer line per command on stdout,
// prefixed "@@"). Commands: call {agentId, law} → a SIP leg through the RTP edge bridged to the
// agent's browser leg; waitRtp {callId, min, timeoutMs}; stats {callId}; hangup {callId}; stop.
import readline from 'node:readline';
import type { CallMedia } from '../../src/media/index.ts';
import { startTestBox } from '../helpers/box.ts';
import { RtpPeer } from '../helpers/rtp-peer.ts';

// The test writes its page and the softphone bundle to CCBOX_WEB_DIST: the box serves them (with its CSP).
const tb = await startTestBox({ profile: 'demo', webrtcGraceMs: 10_000, ...(process.env.CCBOX_WEB_DIST ? { webDist: process.env.CCBOX_WEB_DIST } : {}) });
const calls = new Map<string, { call: CallMedia; peer: RtpPeer; sipLeg: string; browserLeg: string }>();
let seq = 1;
const say = (o: unknown): void => void process.stdout.write(`@@${JSON.stringify(o)}\n`);

async function handle(cmd: Record<string, any>): Promise<unknown> {
  const box = tb.box;
  switch (cmd.cmd) {
    case 'call': {
      const callId = `wrtc-${seq++}`;
      const call = await box.media.createCall(callId);
      const peer = await RtpPeer.open(cmd.law ?? 'pcma');
      const sip = await call.createSipLeg({ offer: peer.offer(), role: 'customer' });
      peer.useRemoteSdp(sip.sdp);
      peer.start();
      const leg = await box.realtime.webrtc!.attachBrowserLeg(call, cmd.agentId);
      await call.connect(sip.legId, leg.id);
      calls.set(callId, { call, peer, sipLeg: sip.legId, browserLeg: leg.id });
      return { callId, law: call.law, browserLeg: leg.id };
    }
    case 'waitRtp': {
      const c = calls.get(cmd.callId)!;
      await c.peer.waitReceived(cmd.min, cmd.timeoutMs);
      return { sent: c.peer.sent, received: c.peer.received };
    }
    case 'stats': {
      const c = calls.get(cmd.callId)!;
      return { sent: c.peer.sent, received: c.peer.received };
    }
    case 'hangup': {
      const c = calls.get(cmd.callId)!;
      calls.delete(cmd.callId);
      c.peer.close();
      await c.call.close('hangup');
      return {};
    }
    case 'agent': {
      const a = box.realtime.webrtc!.agent(cmd.agentId);
      return { online: !!a, transports: a?.transportIds() ?? [] };
    }
    case 'stop': {
      for (const c of calls.values()) c.peer.close();
      await tb.close();
      return {};
    }
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
say({ ready: true, httpPort: tb.box.web.httpPort, webrtc: await tb.box.realtime.webrtc!.sockets() });
