// npm run bench — every benchmark of the box in turn (sip, media, ivr, acd), each in its own process so
// one cannot skew the next, then a summary of their RESULT lines. Each benchmark measures the box and,
// in the same run, its reference (Kamailio, rtpengine) and prints the ratio itself.
// Args: names to run a subset (`npm run bench -- media sip`). Env is passed through (BENCH_SECONDS …).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['sip', 'media', 'ivr', 'acd'];

interface Outcome { name: string; code: number | null; seconds: number; results: string[] }

function runOne(name: string): Promise<Outcome> {
  const file = path.join(HERE, `${name}.ts`);
  const started = Date.now();
  if (!existsSync(file)) {
    console.log(`[bench] ${name}: ${file} is missing — skipped`);
    return Promise.resolve({ name, code: null, seconds: 0, results: [] });
  }
  console.log(`[bench] ${name}: starting`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const results: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(line);
      if (line.startsWith('RESULT ')) results.push(line);
    });
    child.on('close', (code) => resolve({ name, code, seconds: (Date.now() - started) / 1000, results }));
  });
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !ALL.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
  process.exit(2);
}
const outcomes: Outcome[] = [];
for (const name of wanted.length ? wanted : ALL) outcomes.push(await runOne(name));

console.log('\n[bench] summary');
for (const o of outcomes) {
  const state = o.code === null ? 'skipped' : o.code === 0 ? `ok in ${o.seconds.toFixed(0)} s` : `FAILED (exit ${o.code}) after ${o.seconds.toFixed(0)} s`;
  console.log(`[bench] ${o.name}: ${state}`);
}
for (const o of outcomes) for (const r of o.results) console.log(r);
process.exit(outcomes.some((o) => o.code !== null && o.code !== 0) ? 1 : 0);
