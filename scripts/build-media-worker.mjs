#!/usr/bin/env node
// Build mediasoup's native `mediasoup-worker` OFFLINE against Debian system
// libraries (no GitHub prebuilt download, no meson wrap downloads).
//
// Prerequisites (Debian 12):
//   apt-get install -y --no-install-recommends g++ pkg-config ninja-build \
//     libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev \
//     libflatbuffers-dev flatbuffers-compiler
//   plus meson >= 1.1 (pip from the local mirror, or bookworm-backports).
//
// Install mediasoup without letting its postinstall try GitHub/pip, e.g.
//   MEDIASOUP_WORKER_BIN="$PWD/node_modules/mediasoup/worker/out/Release/mediasoup-worker" npm ci
//   (or: npm ci --ignore-scripts), then run: node scripts/build-mediasoup-worker.mjs
// Options: --force (rebuild), --keep-build (keep worker/out/Release/build).
// Env: MESON (meson >= 1.1 binary), MESON_ARGS (extra meson setup args),
//      MEDIASOUP_WORKER_CACHE (cache dir, default ~/.cache/ccbox/mediasoup-worker).
//
// What it does: for every meson `subproject()` that mediasoup's meson.build
// calls (openssl, libuv, libsrtp2/3, usrsctp, abseil-cpp, flatbuffers,
// catch2, liburing) it writes a tiny "shim" subproject into
// worker/subprojects/<wrap directory>/ that exposes the Debian library through
// dependency(); meson then never needs to download the wrap. If mediasoup's
// source uses the libsrtp3 API, a force-included header maps it onto the
// libsrtp2 (2.5) API. One source line of src/RTC/DtlsTransport.cpp is patched
// (BIO callback, see SOURCE_PATCHES) or DTLS crashes with Debian's KTLS-enabled
// OpenSSL. The binary ends in worker/out/Release/mediasoup-worker, the path
// mediasoup looks at by default, and is cached outside node_modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const log = (...a) => console.log('[build-mediasoup-worker]', ...a);
const die = msg => {
	console.error(`[build-mediasoup-worker] ERROR: ${msg}`);
	process.exit(1);
};

const require = createRequire(path.join(process.cwd(), 'noop.js'));
let msDir;
try {
	// index.js lives in <pkg>/node/lib/index.js
	msDir = path.resolve(path.dirname(require.resolve('mediasoup')), '..', '..');
} catch {
	die('mediasoup is not installed (run npm ci first)');
}
const pkg = JSON.parse(fs.readFileSync(path.join(msDir, 'package.json'), 'utf8'));
const W = path.join(msDir, 'worker');
const OUT = path.join(W, 'out', 'Release');
const BIN = path.join(OUT, 'mediasoup-worker');
const STAMP = path.join(OUT, '.offline-build-stamp');
const BUILD = path.join(OUT, 'build');
const force = process.argv.includes('--force');
// Built binaries are cached outside node_modules (npm ci wipes node_modules).
const selfHash = createHash('sha256').update(fs.readFileSync(new URL(import.meta.url))).digest('hex').slice(0, 12);
const CACHE_DIR = process.env.MEDIASOUP_WORKER_CACHE || path.join(os.homedir(), '.cache', 'ccbox', 'mediasoup-worker');
const CACHED_BIN = path.join(CACHE_DIR, `${pkg.version}-${process.platform}-${process.arch}-${selfHash}`, 'mediasoup-worker');
const keepBuild = process.argv.includes('--keep-build');

function run(cmd, args, opts = {}) {
	log('$', cmd, args.join(' '));
	const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
	if (r.status !== 0) die(`${cmd} failed (exit ${r.status ?? r.signal})`);
}
function capture(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
	return r.status === 0 ? r.stdout.trim() : null;
}
// mediasoup-worker exits with code 41 when started without MEDIASOUP_VERSION.
function workerRuns(bin) {
	if (!fs.existsSync(bin)) return false;
	const env = { ...process.env };
	delete env.MEDIASOUP_VERSION;
	return spawnSync(bin, [], { env, stdio: 'ignore' }).status === 41;
}

if (!force && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === pkg.version && workerRuns(BIN)) {
	log(`mediasoup-worker ${pkg.version} already built at ${BIN}`);
	process.exit(0);
}
if (!force && workerRuns(CACHED_BIN)) {
	fs.mkdirSync(OUT, { recursive: true });
	fs.copyFileSync(CACHED_BIN, BIN);
	fs.chmodSync(BIN, 0o755);
	fs.writeFileSync(STAMP, pkg.version + '\n');
	log(`mediasoup-worker ${pkg.version} restored from cache ${CACHED_BIN}`);
	process.exit(0);
}

// ---- tools -----------------------------------------------------------------
for (const tool of ['c++', 'pkg-config', 'flatc']) {
	if (capture('sh', ['-c', `command -v ${tool}`]) === null) die(`missing tool: ${tool} (see apt packages in header)`);
}
const verOk = v => {
	const [a, b] = (v || '0.0').split('.').map(Number);
	return a > 1 || (a === 1 && b >= 1);
};
const env = { ...process.env };
let meson = process.env.MESON || 'meson';
if (!verOk(capture(meson, ['--version'], { env }))) {
	// Local copy of meson from pip (works with the offline pip mirror).
	const pipDir = path.join(W, 'out', 'pip_meson');
	meson = path.join(pipDir, 'bin', 'meson');
	env.PYTHONPATH = [pipDir, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
	if (!verOk(capture(meson, ['--version'], { env }))) {
		const py = process.env.PYTHON || 'python3';
		run(py, ['-m', 'pip', 'install', '--retries', '1', '--no-user', '--upgrade', '--target', pipDir, 'meson>=1.1'], { env });
	}
	if (!verOk(capture(meson, ['--version'], { env }))) die('no usable meson >= 1.1');
}
if (capture('sh', ['-c', 'command -v ninja'], { env }) === null && !env.NINJA) die('missing ninja (apt-get install ninja-build)');
log(`mediasoup ${pkg.version}, meson ${capture(meson, ['--version'], { env })}, flatc ${capture('flatc', ['--version'])}`);

// ---- shim subprojects ------------------------------------------------------
const mesonFiles = [path.join(W, 'meson.build'), path.join(W, 'deps', 'libwebrtc', 'meson.build')].filter(f => fs.existsSync(f));
const mesonSrc = mesonFiles.map(f => fs.readFileSync(f, 'utf8')).join('\n');
// projVar -> subproject name, options passed through default_options
const projects = new Map();
for (const m of mesonSrc.matchAll(/(\w+)_proj\s*=\s*subproject\(\s*'([\w.-]+)'([\s\S]*?)\)\s*\n/g)) {
	const opts = new Set();
	const dflt = /default_options\s*:\s*\[([\s\S]*?)\]/.exec(m[3]);
	for (const o of dflt ? dflt[1].matchAll(/'([\w-]+)=/g) : []) opts.add(o[1]);
	const p = projects.get(m[1]) || { name: m[2], opts: new Set(), vars: new Set() };
	opts.forEach(o => p.opts.add(o));
	projects.set(m[1], p);
}
for (const m of mesonSrc.matchAll(/(\w+)_proj\.get_variable\(\s*'(\w+)'/g)) projects.get(m[1])?.vars.add(m[2]);
const BUILTIN = new Set(['warning_level', 'cpp_std', 'c_std', 'default_library', 'buildtype', 'werror', 'b_ndebug', 'optimization', 'debug']);

const srtpSrc = fs.readFileSync(path.join(W, 'src', 'RTC', 'SrtpSession.cpp'), 'utf8');
const srtp3Api = /mki_index/.test(srtpSrc) && /srtp_len/.test(srtpSrc);

const absl = ['absl_flat_hash_map', 'absl_flat_hash_set', 'absl_btree', 'absl_inlined_vector', 'absl_memory', 'absl_strings', 'absl_optional', 'absl_span', 'absl_variant'];
const systemDep = {
	openssl: `_sys = declare_dependency(dependencies: [dependency('openssl', version: '>=3.0'), dependency('libssl'), dependency('libcrypto')])`,
	libuv: `_sys = dependency('libuv', version: '>=1.44')`,
	libsrtp2: 'SRTP',
	libsrtp3: 'SRTP',
	usrsctp: `_sys = dependency('usrsctp')`,
	'abseil-cpp': `_sys = declare_dependency(dependencies: [${absl.map(a => `dependency('${a}')`).join(', ')}])`,
	flatbuffers: `_sys = dependency('flatbuffers')`,
	catch2: `_sys = declare_dependency()`,
	liburing: `_sys = dependency('liburing')`,
	wingetopt: `_sys = declare_dependency()`,
};
const SRTP_COMPAT = `// Generated by build-mediasoup-worker.mjs: libsrtp3 API on top of libsrtp2.
#pragma once
#include <srtp2/srtp.h>
#include <string.h>
#define srtp_err_status_buffer_small ((srtp_err_status_t)1000)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)1001)
static inline srtp_err_status_t ms_compat_srtp_protect(srtp_t ctx, const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len, size_t mki_index)
{ (void)mki_index; if (*out_len < in_len + SRTP_MAX_TRAILER_LEN) return srtp_err_status_bad_param;
  if (out != in) { memmove(out, in, in_len); }
  int len = (int)in_len;
  srtp_err_status_t e = srtp_protect(ctx, out, &len); if (e == srtp_err_status_ok) *out_len = (size_t)len; return e; }
static inline srtp_err_status_t ms_compat_srtp_protect_rtcp(srtp_t ctx, const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len, size_t mki_index)
{ (void)mki_index; if (*out_len < in_len + SRTP_MAX_TRAILER_LEN + 4) return srtp_err_status_bad_param;
  if (out != in) { memmove(out, in, in_len); }
  int len = (int)in_len;
  srtp_err_status_t e = srtp_protect_rtcp(ctx, out, &len); if (e == srtp_err_status_ok) *out_len = (size_t)len; return e; }
static inline srtp_err_status_t ms_compat_srtp_unprotect(srtp_t ctx, const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len)
{ if (out != in) { if (*out_len < in_len) return srtp_err_status_bad_param; memmove(out, in, in_len); }
  int len = (int)in_len;
  srtp_err_status_t e = srtp_unprotect(ctx, out, &len); if (e == srtp_err_status_ok) *out_len = (size_t)len; return e; }
static inline srtp_err_status_t ms_compat_srtp_unprotect_rtcp(srtp_t ctx, const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len)
{ if (out != in) { if (*out_len < in_len) return srtp_err_status_bad_param; memmove(out, in, in_len); }
  int len = (int)in_len;
  srtp_err_status_t e = srtp_unprotect_rtcp(ctx, out, &len); if (e == srtp_err_status_ok) *out_len = (size_t)len; return e; }
#define srtp_protect ms_compat_srtp_protect
#define srtp_stream_remove srtp_remove_stream
#define srtp_protect_rtcp ms_compat_srtp_protect_rtcp
#define srtp_unprotect ms_compat_srtp_unprotect
#define srtp_unprotect_rtcp ms_compat_srtp_unprotect_rtcp
`;

const SP = path.join(W, 'subprojects');
for (const { name, opts, vars } of projects.values()) {
	const wrap = path.join(SP, `${name}.wrap`);
	const dirName = fs.existsSync(wrap) ? (/^directory\s*=\s*(.+)$/m.exec(fs.readFileSync(wrap, 'utf8'))?.[1].trim() ?? name) : name;
	const d = path.join(SP, dirName);
	if (!(name in systemDep)) die(`unknown subproject ${name}: no system-library mapping`);
	fs.rmSync(d, { recursive: true, force: true });
	fs.mkdirSync(d, { recursive: true });
	fs.writeFileSync(path.join(d, 'empty.c'), '');
	let body = systemDep[name];
	if (body === 'SRTP') {
		const extra = [`'-I' + _d.get_variable(pkgconfig: 'includedir') + '/srtp2'`];
		if (srtp3Api) {
			fs.writeFileSync(path.join(d, 'srtp3_compat.h'), SRTP_COMPAT);
			extra.push(`'-include', meson.current_source_dir() / 'srtp3_compat.h'`);
		}
		body = `_d = dependency('libsrtp2', version: '>=2.3')\n_sys = declare_dependency(dependencies: _d, compile_args: [${extra.join(', ')}])`;
	}
	const lines = [`project('${name}-debian-system-shim', 'c')`, body, `_empty = static_library('${name.replace(/\W/g, '_')}_shim', 'empty.c')`];
	for (const v of vars) lines.push(/_dep$/.test(v) || v === 'uring' ? `${v} = _sys` : `${v} = _empty`);
	fs.writeFileSync(path.join(d, 'meson.build'), lines.join('\n') + '\n');
	fs.writeFileSync(
		path.join(d, 'meson_options.txt'),
		[...opts].filter(o => !BUILTIN.has(o)).map(o => `option('${o}', type: 'string', value: '')\n`).join('')
	);
	log(`shim subproject ${name} -> subprojects/${dirName} [${[...vars].join(', ')}]`);
}

// ---- source patches ---------------------------------------------------------
// mediasoup's OpenSSL BIO callback returns 1 for every BIO_ctrl() post-callback
// (it only passes `ret` through for a bare BIO_CB_RETURN). With Debian's
// KTLS-enabled OpenSSL, libssl asks BIO_get_ktls_send(wbio), gets 1, skips
// allocating its write buffer and the worker SIGSEGVs on the first DTLS
// handshake. Upstream's bundled OpenSSL is built without KTLS, hiding this.
const SOURCE_PATCHES = [
	{
		file: 'src/RTC/DtlsTransport.cpp',
		from: '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
		to: '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
	},
];
for (const { file, from, to } of SOURCE_PATCHES) {
	const f = path.join(W, file);
	const src = fs.readFileSync(f, 'utf8');
	if (src.includes(to)) continue;
	if (!src.includes(from)) die(`cannot apply source patch to ${file} (pattern not found: ${from})`);
	fs.writeFileSync(f, src.replace(from, to));
	log(`patched ${file}: ${to}`);
}

// ---- configure + compile ----------------------------------------------------
const t0 = Date.now();
const extraArgs = (process.env.MESON_ARGS || '').split(/\s+/).filter(Boolean);
const reconf = fs.existsSync(path.join(BUILD, 'meson-private')) ? ['--reconfigure'] : [];
run(meson, ['setup', ...reconf, '--buildtype', 'release', '-Db_ndebug=true', '--wrap-mode=nodownload',
	// Debian 12 ships liburing 2.3, mediasoup needs >= 2.4 APIs; io_uring is an optional speed-up.
	'-Dms_disable_liburing=true', ...extraArgs, BUILD], { cwd: W, env });
const jobs = String(os.availableParallelism?.() ?? os.cpus().length);
// FlatBuffers headers first (same order as mediasoup's tasks.py).
run(meson, ['compile', '-C', BUILD, 'flatbuffers-generator'], { cwd: W, env });
run(meson, ['compile', '-C', BUILD, '-j', jobs, 'mediasoup-worker'], { cwd: W, env });
fs.mkdirSync(OUT, { recursive: true });
fs.copyFileSync(path.join(BUILD, 'mediasoup-worker'), BIN + '.tmp');
fs.chmodSync(BIN + '.tmp', 0o755);
spawnSync('strip', [BIN + '.tmp']);
fs.renameSync(BIN + '.tmp', BIN);
if (!keepBuild) fs.rmSync(BUILD, { recursive: true, force: true });
if (!workerRuns(BIN)) die(`built ${BIN} but it does not start (expected exit code 41 without MEDIASOUP_VERSION)`);
fs.writeFileSync(STAMP, pkg.version + '\n');
try {
	fs.mkdirSync(path.dirname(CACHED_BIN), { recursive: true });
	fs.copyFileSync(BIN, CACHED_BIN);
} catch (e) {
	log(`warning: could not cache binary: ${e.message}`);
}
log(`OK: ${BIN} (${(fs.statSync(BIN).size / 1e6).toFixed(1)} MB) built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
