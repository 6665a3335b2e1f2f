// The media part of the box, alone in a process so its CPU (with its mediasoup workers) can be read
// from /proc: startMedia as the box boots it, driven by JSON lines. setup {pairs: [[offerA, offerB]…]}
// → per call two SIP legs through the RTP edge, connected on the call's router, recorded;
// teardown → calls closed and recordings finalized; stop.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startMedia, type CallMedia } from '../../src/media/index.ts';
import { createLogger, loadConfig } from '../../src/platform/index.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-media-'));
// CCBOX_MEDIA_* from the environment (e.g. CCBOX_MEDIA_EDGE_WORKERS=1) tune the media as in the box.
const mediaEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CCBOX_MEDIA_')));
const config = loadConfig(mediaEnv, { dataDir, logLevel: 'silent', mediaBindAddress: '127.0.0.1', mediaAnnouncedAddress: '127.0.0.1' });
const media = await startMedia({ config, log: createLogger({ level: 'silent' }), tts: null });
const calls: CallMedia[] = [];
const say = (o: unknown): void => void process.stdout.write(`@@${JSON.stringify(o)}\n`);

async function setupCall(i: number, offers: [string, string]): Promise<[string, string]> {
  const call = await media.createCall(`bench-${i}`);
  calls.push(call);
  const a = await call.createSipLeg({ offer: offers[0], role: 'customer' });
  const b = await call.createSipLeg({ offer: offers[1], role: 'agent' });
  await call.connect(a.legId, b.legId);
  if (process.env.BENCH_RECORD !== '0') await call.startRecording();
  return [a.sdp, b.sdp];
}

async function handle(cmd: Record<string, any>): Promise<unknown> {
  switch (cmd.cmd) {
    case 'setup': {
      const pairs = cmd.pairs as [string, string][];
      const answers: [string, string][] = new Array(pairs.length);
      // A few at a time: the way calls arrive, and within the worker request deadlines.
      for (let i = 0; i < pairs.length; i += 10) {
        await Promise.all(pairs.slice(i, i + 10).map(async (p, j) => (answers[i + j] = await setupCall(i + j, p))));
      }
      return { answers };
    }
    case 'info':
      return { edgeWorkers: media.edge.workerCount, mediasoupWorkers: media.pool.size };
    case 'teardown': {
      await Promise.all(calls.splice(0).map((c) => c.close('bench-end')));
      const dir = path.join(dataDir, 'recordings');
      const files = readdirSync(dir).filter((f) => f.endsWith('.wav'));
      return { recordings: files.length, bytes: files.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0) };
    }
    case 'stop':
      await media.stop();
      rmSync(dataDir, { recursive: true, force: true });
      return {};
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as Record<string, any>;
  handle(cmd).then(
    (r) => {
      say({ id: cmd.id, ok: true, data: r });
      if (cmd.cmd === 'stop') setTimeout(() => process.exit(0), 20);
    },
    (err: Error) => say({ id: cmd.id, ok: false, error: String(err.stack ?? err) }),
  );
});
say({ ready: true, pid: process.pid });
