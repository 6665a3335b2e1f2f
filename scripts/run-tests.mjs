#!/usr/bin/env node
// Runs every test suite with node:test through tsx: unit and conformance in parallel, then the
// integration and browser suites one file at a time (they start real servers and peers).
// Node 20's --test does not expand globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (/\.test\.ts$/.test(e.name)) out.push(path.relative(ROOT, p));
  }
  return out.sort();
}

const filter = (files) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);
const groups = [
  { name: 'unit + conformance', files: filter([...find(path.join(ROOT, 'test', 'unit')), ...find(path.join(ROOT, 'test', 'conformance'))]), concurrency: 2 },
  { name: 'integration + e2e', files: filter([...find(path.join(ROOT, 'test', 'integration')), ...find(path.join(ROOT, 'test', 'e2e'))]), concurrency: 1 },
];

let failed = false;
if (!only.length) {
  // Types are part of the test: a type error in any part fails the run.
  for (const project of ['tsconfig.json', 'web/tsconfig.json']) {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project], { stdio: 'inherit', cwd: ROOT });
    console.log(`=== typecheck ${project}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
    if (r.status !== 0) failed = true;
  }
}
for (const g of groups) {
  if (g.files.length === 0) continue;
  console.log(`\n=== ${g.name}: ${g.files.length} files ===`);
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${g.concurrency}`, '--test-timeout=600000', '--test-reporter=spec', ...g.files],
    { stdio: 'inherit', cwd: ROOT, env: { ...process.env, CCBOX_LOG_LEVEL: process.env.CCBOX_LOG_LEVEL ?? 'silent' } },
  );
  console.log(`=== ${g.name}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
