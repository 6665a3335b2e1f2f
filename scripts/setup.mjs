#!/usr/bin/env node
// One-command set-up for a fresh Debian 12 box (run as root): Debian packages (only the missing ones),
// npm ci, mediasoup's worker built offline (cached outside node_modules), the web UI.
// Uses only Node's built-ins: it runs before node_modules exists.
//   node scripts/setup.mjs          what `npm start` / `npm run demo` need
//   node scripts/setup.mjs --test   plus the real peers the tests use (sipp, Kamailio, baresip, Chromium …)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const t0 = Date.now();
const log = (msg) => console.log(`[setup +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const die = (msg) => {
  console.error(`[setup] ERROR: ${msg}`);
  process.exit(1);
};

// Build tools and libraries for mediasoup's worker (shared/notes/mediasoup-offline.md), and the media helpers.
const RUNTIME_PKGS = [
  'g++', 'make', 'pkg-config', 'ninja-build', 'python3', 'python3-pip', 'libssl-dev', 'libuv1-dev', 'libsrtp2-dev',
  'libusrsctp-dev', 'libabsl-dev', 'libflatbuffers-dev', 'flatbuffers-compiler', 'espeak-ng', 'ffmpeg', 'sox', 'openssl',
  'pocketsphinx', 'pocketsphinx-en-us',
];
// Real peers and tools used by `npm test`.
const TEST_PKGS = ['sip-tester', 'kamailio', 'kamailio-tls-modules', 'baresip', 'chromium', 'fonts-noto-cjk', 'iproute2', 'procps'];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function debianPackages() {
  const want = forTests ? [...RUNTIME_PKGS, ...TEST_PKGS] : RUNTIME_PKGS;
  const missing = want.filter((p) => !installed(p));
  if (missing.length === 0) return log('Debian packages: all present');
  const cmd = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) die(`missing Debian packages: ${missing.join(' ')}\nRun as root:\n  ${cmd}`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  run('sh', ['-c', cmd]);
}

const hashFiles = (files) => {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : '');
  }
  return h.digest('hex');
};

function npmCi() {
  const lock = path.join(ROOT, 'package-lock.json');
  const stamp = path.join(ROOT, 'node_modules', '.ccbox-lock-hash');
  const want = hashFiles([lock, path.join(ROOT, 'package.json')]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return log('node_modules: up to date');
  log('npm ci');
  // With MEDIASOUP_WORKER_BIN set, mediasoup's postinstall neither downloads nor builds: we build it next.
  const bin = path.join(ROOT, 'node_modules', 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, MEDIASOUP_WORKER_BIN: bin } });
  fs.writeFileSync(stamp, want);
}

function mediaWorker() {
  log('mediasoup worker (cached in ~/.cache/ccbox)');
  run(process.execPath, [path.join(ROOT, 'scripts', 'build-media-worker.mjs')]);
}

function listFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'dist' && e.name !== 'node_modules') out.push(...listFiles(p));
    } else out.push(p);
  }
  return out.sort();
}

function webUi() {
  const webDir = path.join(ROOT, 'web');
  if (!fs.existsSync(path.join(webDir, 'vite.config.ts'))) return log('web UI: no sources yet');
  const stamp = path.join(webDir, 'dist', '.ccbox-src-hash');
  const want = hashFiles([...listFiles(webDir), path.join(ROOT, 'package-lock.json')]);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return log('web UI: up to date');
  log('building web UI');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  fs.writeFileSync(stamp, want);
}

const [major] = process.versions.node.split('.').map(Number);
if (major !== 20) log(`warning: Node ${process.versions.node}; ccbox is built and tested on Node 20 (mediasoup 3.19 pins it)`);
debianPackages();
npmCi();
mediaWorker();
webUi();
log('done');
