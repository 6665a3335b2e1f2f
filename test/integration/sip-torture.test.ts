// The running box against hostile input, inside a network namespace that has only `lo` (the torture
// messages name example.com hosts, 192.0.2.x and a broadcast address, so nothing may leave the machine):
// every RFC 4475 message answered as the RFC says, then 100,000 seeded mutations, and OPTIONS still answered.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, spawnBox } from '../helpers/process.ts';

const DATA = path.resolve(ROOT, '..', 'shared', 'conformance', 'rfc4475');
const root = process.getuid?.() === 0;
const skip = !existsSync(DATA) ? `RFC 4475 data not present at ${DATA}` : !root ? 'needs root to create a network namespace' : false;

// What the server must answer (first line), per the data's README; null = no answer at all.
// Answers are matched by Call-ID (see client.ts).
const EXPECT: Record<string, RegExp | null> = {
  'badvers.dat': /^SIP\/2\.0 505/,
  'mismatch01.dat': /^SIP\/2\.0 400/,
  'mismatch02.dat': /^SIP\/2\.0 (400|501)/,
  'insuf.dat': /^SIP\/2\.0 400/,
  'unkscm.dat': /^SIP\/2\.0 416/,
  'novelsc.dat': /^SIP\/2\.0 416/,
  'multi01.dat': /^SIP\/2\.0 400/,
  'mcl01.dat': /^SIP\/2\.0 400/,
  // Rejected: a 400 where the message parses far enough to route an answer, else silently dropped.
  'badinv01.dat': /^(SIP\/2\.0 400|no answer)/,
  'clerr.dat': /^SIP\/2\.0 400/,
  'ncl.dat': /^SIP\/2\.0 400/,
  'scalar02.dat': /^SIP\/2\.0 400/,
  'quotbal.dat': /^(SIP\/2\.0 400|no answer)/,
  'ltgtruri.dat': /^SIP\/2\.0 400/,
  'lwsruri.dat': /^SIP\/2\.0 400/,
  'lwsstart.dat': /^SIP\/2\.0 400/,
  'trws.dat': /^SIP\/2\.0 400/,
  'regbadct.dat': /^SIP\/2\.0 400/,
  'badaspec.dat': /^SIP\/2\.0 400/,
  'baddn.dat': /^SIP\/2\.0 400/,
  // Responses are never answered; these must simply be dropped.
  'scalarlg.dat': null,
  'bigcode.dat': null,
  'bcast.dat': null,
};

describe('SIP server under torture and fuzzing (loopback-only namespace)', { skip }, () => {
  const ns = `ccbox-sip-${process.pid}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-torture-'));
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // not created
    }
  });

  it('answers every RFC 4475 message as the RFC says, survives 100,000 mutations, and still answers OPTIONS', async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const port = '5070'; // the client takes 5060, where the messages' Vias point
    // The rate limit is lifted here: this test is about parsing; bans are tested in sip-register.
    const p = spawnBox(
      { CCBOX_DATA_DIR: dataDir, CCBOX_BIND_HOST: '127.0.0.1', CCBOX_HTTP_PORT: '0', CCBOX_HTTPS_PORT: '0', CCBOX_SIP_PORT: port, CCBOX_ADMIN_PASSWORD: 'Torture-1x', CCBOX_SIP_RATE_MAX: '100000000' },
      { netns: ns },
    );
    await p.waitFor(/ccbox is up/, 120_000).catch(async (err) => {
      p.child.kill('SIGKILL');
      throw err;
    });
    try {
      const out = execFileSync(
        'ip',
        ['netns', 'exec', ns, process.execPath, '--import', 'tsx', path.join(ROOT, 'test', 'integration', 'torture', 'client.ts'), DATA, port, '100000'],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 480_000 },
      );
      const r = JSON.parse(out.toString().trim().split('\n').pop()!) as { answers: Record<string, string | null>; fuzz: number; fuzzMs: number; alive: string | null };
      console.log(`# fuzz: ${r.fuzz} mutated messages in ${r.fuzzMs} ms; then OPTIONS → ${r.alive}`);
      for (const [file, want] of Object.entries(EXPECT)) {
        const got = r.answers[file];
        if (want === null) assert.equal(got, null, `${file} must get no answer, got ${got}`);
        else assert.match(got ?? 'no answer', want, file);
      }
      // Every valid request got some final answer (the box did not choke on it).
      for (const f of ['wsinv.dat', 'intmeth.dat', 'esc01.dat', 'escnull.dat', 'esc02.dat', 'lwsdisp.dat', 'longreq.dat', 'dblreq.dat', 'semiuri.dat', 'transports.dat', 'mpart01.dat']) {
        assert.match(r.answers[f] ?? 'no answer', /^SIP\/2\.0 [2-6]\d\d/, f);
      }
      assert.match(r.alive ?? 'no answer', /^SIP\/2\.0 200/);
      assert.equal(p.child.exitCode, null, 'the box is still running');
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });
});
