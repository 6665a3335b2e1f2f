// Full inbound calls at a steady rate through a real box (src/main.ts, demo profile, its own process): sipp as
// the carrier on 127.0.0.2 calls 02088880000, whose bench IVR asks for a key (menu) and hands key 1 to the
// 压测 skill group (转人工); the group's agents work from desk phones alone — one sipp UAS answers every
// extension they registered, holds the call a few seconds and hangs up. The box's own records decide: a call
// is ok when its record says 正常结束 (an agent talked); afterwards every agent must be back to 示闲/空闲.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeNodeId } from '../../src/ivr/flow/index.ts';
import { ApiClient } from '../helpers/box.ts';
import { ROOT } from '../helpers/process.ts';
import { startSmtp } from '../helpers/smtp.ts';

export interface CallsOptions {
  seconds: number;
  cps: number;
  agents: number;
  holdMs: number;
  log: (s: string) => void;
}

export interface CallsResult {
  sent: number;
  /** Records that say 正常结束. */
  ok: number;
  /** max(placed − ok, the carrier's failed calls). */
  failed: number;
  stuckAgents: number;
  byStatus: Record<string, number>;
  sipp: { successful: number; failed: number };
  liveCallsAtEnd: number;
}

const ADMIN_PW = 'Bench-admin-1';
const NUMBER = '02088880000';
const SIP_PORT = 5060;
const UAS_PORT = 5090;
const CARRIER_PORT = 5070;
const HTTP_PORT = Number(process.env.BENCH_HTTP_PORT ?? 18480);
const PCAP_KEY1 = '/usr/share/sip-tester/dtmf_2833_1.pcap';

// ---- sipp scenarios (written to a temp dir at run time) ----

const REGISTER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- One agent phone of the -inf list registers (digest), from the port of the sipp that will answer its calls. -->
<scenario name="acd bench register">
  <send retrans="500"><![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field0]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Expires: 3600
      Content-Length: 0

  ]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:[field0]@[remote_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field0]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 2 REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Expires: 3600
      [field1]
      Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
`;

const uasXml = (holdMs: number): string => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- Every agent's desk phone: answers at once (PCMA, RTP echoed), holds ${holdMs} ms, hangs up. -->
<scenario name="acd bench agent phones">
  <recv request="INVITE" crlf="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="Call-ID:" assign_to="cid"/>
      <ereg regexp="sip:[^&gt;]+" search_in="hdr" header="Contact:" assign_to="peer"/>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="from"/>
    </action>
  </recv>
  <send><![CDATA[
      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:agent@[local_ip]:[local_port]>
      Content-Length: 0

  ]]></send>
  <send retrans="500"><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:agent@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=phone 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
      a=sendrecv
  ]]></send>
  <recv request="ACK" crlf="true"/>
  <pause milliseconds="${holdMs}"/>
  <send retrans="500"><![CDATA[
      BYE [$peer] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:agent@[local_ip]>;tag=[pid]SIPpTag01[call_number]
      To: [$from]
      Call-ID: [$cid]
      CSeq: 1 BYE
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
`;

const UAC_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- The carrier: calls [service], presses 1 (RFC 2833) 0.8 s after the answer (and again 2.5 s later), and waits
     for the box's BYE (the agent hung up and the flow ended). -->
<scenario name="acd bench carrier">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:139[call_number]@[local_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:139[call_number]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=carrier 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
      a=sendrecv
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true">
    <action><ereg regexp=";tag=([^;> ]+)" search_in="hdr" header="To:" assign_to="junk,totag"/></action>
  </recv>
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:139[call_number]@[local_ip]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]>;tag=[$totag]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <pause milliseconds="800"/>
  <nop><action><exec play_pcap_audio="[pcap1]"/></action></nop>
  <!-- Pressed again, as a caller does when nothing happens: a box that lags may not be collecting yet. -->
  <pause milliseconds="2500"/>
  <nop><action><exec play_pcap_audio="[pcap1]"/></action></nop>
  <recv request="BYE" timeout="60000"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
  <Reference variables="junk"/>
</scenario>
`;

// ---- the box ----

async function startBox(dataDir: string, log: (s: string) => void): Promise<{ child: ChildProcess; http: number; output: () => string; stop: () => Promise<void> }> {
  const env = {
    ...process.env,
    CCBOX_DATA_DIR: dataDir, CCBOX_PROFILE: 'demo', CCBOX_ADMIN_PASSWORD: ADMIN_PW, CCBOX_LOG_LEVEL: process.env.BENCH_BOX_LOG_LEVEL ?? 'warn',
    CCBOX_BIND_HOST: '127.0.0.1', CCBOX_HTTP_PORT: String(HTTP_PORT), CCBOX_HTTPS_PORT: '0', CCBOX_SIP_PORT: String(SIP_PORT), CCBOX_SIP_TLS_PORT: '0', CCBOX_WEBRTC_PORT: '0',
    // One carrier address and one phone address carry everything: the per-IP limits would ban them at once.
    CCBOX_SIP_RATE_MAX: '1000000000',
    CCBOX_MEDIA_BIND_ADDRESS: '127.0.0.1', CCBOX_MEDIA_ANNOUNCED_ADDRESS: '127.0.0.1',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const onData = (d: Buffer): void => {
    tail = (tail + d.toString()).slice(-50_000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    }
  };
  // Up when /healthz answers (the box logs at warn here, so its "ccbox is up" line is not there to wait for).
  const http = HTTP_PORT;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the box exited:\n${tail}`);
    const ok = await fetch(`http://127.0.0.1:${http}/healthz`).then(() => true, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`box up (pid ${child.pid}, http ${http}, sip ${SIP_PORT})`);
  return { child, http, output: () => tail, stop };
}

function check(r: { status: number; body: unknown }, what: string, ok = [200, 201, 204]): void {
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** The bench's directory through the console API: group, agents with desk phones, the IVR and the settings. */
async function provision(api: ApiClient, smtpPort: number, o: CallsOptions): Promise<{ groupId: number; agentIds: number[]; phones: { ext: string; password: string }[] }> {
  check(await api.put('/settings/smtp', { host: '127.0.0.1', port: smtpPort, secure: false, user: 'relay', password: 'relay-secret', from: 'ccbox@bench.local' }), 'smtp');
  const channel = (await api.get('/channels')).body.find((c: { name: string }) => c.name === 'demo-trunk');
  check(await api.patch(`/channels/${channel.id}`, { capacity: 10_000 }), 'trunk capacity');
  const group = await api.post('/skill-groups', { name: '压测', ringMode: 'sequential', receptionLimit: 1000 });
  check(group, 'skill group');
  const roleId = (await api.get('/roles')).body.find((r: { name: string }) => r.name === '普通座席').id;
  const agentIds: number[] = [];
  const phones: { ext: string; password: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.agents) {
      const i = next++;
      const a = await api.post('/agents', { name: `压测${i}`, nickname: `压测${i}`, staffNo: String(80_000 + i), email: `bench${i}@bench.local`, roleId, skillGroupIds: [group.body.id] });
      check(a, `agent ${i}`);
      agentIds.push(a.body.id);
      const ext = String(30_000 + i);
      const password = `Ext${ext}-bench`;
      check(await api.post('/phones', { extension: ext, name: `话机${ext}`, password, binding: { kind: 'agent', id: a.body.id } }), `phone ${ext}`);
      phones.push({ ext, password });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);

  const id = (n: number): string => makeNodeId(Date.UTC(2026, 0, 1), new Uint8Array(10).fill(n));
  const tts = (text: string) => ({ kind: 'tts', text });
  const definition = {
    variables: [],
    nodes: [
      { id: id(1), type: 'start', label: '开始', params: {}, outlets: { next: id(2) } },
      {
        id: id(2), type: 'menu', label: '菜单', outlets: { 'key:1': id(3) },
        params: { prompt: tts('请按 1。'), timeoutPrompt: tts('您没有按键。'), errorPrompt: tts('按键有误。'), maxErrors: 1, timeoutSec: 5, keys: [{ key: '1', label: '压测' }] },
      },
      { id: id(3), type: 'toAgent', label: '转人工', params: { mode: 'skillGroup', skillGroupId: group.body.id }, outlets: { done: id(4), failed: id(4) } },
      { id: id(4), type: 'end', label: '结束', params: {}, outlets: {} },
    ],
  };
  const flow = await api.post('/ivr/flows', { name: '压测', kind: 'inbound', definition });
  check(flow, 'ivr flow');
  check(await api.post(`/ivr/flows/${flow.body.id}/versions/MAIN/publish`), 'publish');
  check(await api.put(`/ivr/bindings/${NUMBER}`, { flowId: flow.body.id, version: 'MAIN' }), 'bind');

  const settings = (await api.get('/acd/settings')).body.global;
  // Desk-phone agents skip 话后整理 when it is not timed; calls go to whoever waited longest.
  settings.answer.afterCallIdle = { enabled: false, seconds: 15 };
  settings.routing = { distribution: 'longestIdle', lastAgentFirst: false };
  settings.queue.announce = { intervalSec: 0, position: false, estimatedWait: false };
  check(await api.put('/acd/settings', { skillGroupId: null, settings }), 'acd settings');
  return { groupId: group.body.id, agentIds, phones };
}

interface Sipp { child: ChildProcess; done: Promise<number | null>; output: () => string }

function sipp(args: string[], cwd: string): Sipp {
  const child = spawn('sipp', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => void (out = (out + d.toString()).slice(-20_000)));
  return { child, output: () => out, done: new Promise((r) => child.once('exit', (code) => r(code))) };
}

/** SuccessfulCall(C) and FailedCall(C) from the last line of sipp's -trace_stat file. */
function sippCounts(file: string): { successful: number; failed: number } {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const head = lines[0]!.split(';');
    const last = lines.at(-1)!.split(';');
    return { successful: Number(last[head.indexOf('SuccessfulCall(C)')]), failed: Number(last[head.indexOf('FailedCall(C)')]) };
  } catch {
    return { successful: NaN, failed: NaN };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function benchCalls(o: CallsOptions): Promise<CallsResult> {
  if (spawnSync('sipp', ['-v']).error) throw new Error('sipp is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-bench-acd-'));
  const dataDir = path.join(dir, 'data');
  const smtp = await startSmtp();
  const box = await startBox(dataDir, o.log);
  let uas: Sipp | null = null;
  try {
    const api = new ApiClient(`http://127.0.0.1:${box.http}`);
    check(await api.login('admin', ADMIN_PW), 'login');
    const t0 = Date.now();
    const { agentIds, phones } = await provision(api, smtp.port, o);
    o.log(`provisioned ${agentIds.length} agents with desk phones, the 压测 group and IVR in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    writeFileSync(path.join(dir, 'register.xml'), REGISTER_XML);
    writeFileSync(path.join(dir, 'uas.xml'), uasXml(o.holdMs));
    writeFileSync(path.join(dir, 'uac.xml'), UAC_XML);
    // sipp does not expand [fieldN] inside [authentication …]: the keyword itself comes from the injection file.
    writeFileSync(path.join(dir, 'phones.csv'), ['SEQUENTIAL', ...phones.map((p) => `${p.ext};[authentication username=${p.ext} password=${p.password}]`)].join('\n') + '\n');

    // The registrar takes the source address (rport), so the phones register from the port that answers their calls.
    const reg = sipp(['-sf', 'register.xml', '-inf', 'phones.csv', '-i', '127.0.0.1', '-p', String(UAS_PORT), '-m', String(phones.length), '-r', '100', '-nostdin', '-timeout', '60s', `127.0.0.1:${SIP_PORT}`], dir);
    const rc = await reg.done;
    if (rc !== 0) throw new Error(`registering the phones failed (${rc}):\n${reg.output()}`);
    uas = sipp(['-sf', 'uas.xml', '-i', '127.0.0.1', '-p', String(UAS_PORT), '-mi', '127.0.0.1', '-mp', '20000', '-rtp_echo', '-aa', '-nostdin', '-trace_err'], dir);
    // Registration stands in for a web login: every agent is online and 示闲 (the default status).
    for (let i = 0; ; i++) {
      const snap = (await api.get('/monitor/snapshot')).body;
      const idle = snap.agents.filter((a: { agentId: number; status: string }) => agentIds.includes(a.agentId) && a.status === 'idle').length;
      if (idle === agentIds.length) break;
      if (i > 100) throw new Error(`only ${idle} of ${agentIds.length} agents idle after registering`);
      await sleep(100);
    }
    o.log(`${phones.length} desk phones registered, their agents 示闲`);

    const sent = Math.round(o.cps * o.seconds);
    const from = Date.now();
    o.log(`calling: ${o.cps} CPS for ${o.seconds} s (${sent} calls), agents hold ${o.holdMs} ms`);
    const uac = sipp([
      '-sf', 'uac.xml', '-i', '127.0.0.2', '-p', String(CARRIER_PORT), '-mi', '127.0.0.2', '-mp', '22000', '-s', NUMBER,
      '-r', String(o.cps), '-m', String(sent), '-l', '5000', '-key', 'pcap1', PCAP_KEY1, '-aa', '-nostdin',
      '-trace_stat', '-stf', 'uac-stats.csv', '-fd', '5', '-trace_err', '-timeout', `${o.seconds + 180}s`, `127.0.0.1:${SIP_PORT}`,
    ], dir);
    // Progress from the box every 10 s: waiting calls and agents talking.
    const progress = setInterval(() => {
      void api.get('/monitor/snapshot').then((r) => {
        const s = r.body;
        const talking = s.agents.filter((a: { dispatch: string }) => a.dispatch === 'in-call').length;
        const waiting = s.queues.reduce((n: number, q: { waiting: number }) => n + q.waiting, 0);
        o.log(`  +${((Date.now() - from) / 1000).toFixed(0)} s: ${talking} agents talking, ${waiting} calls waiting`);
        if (process.env.BENCH_DEBUG === '1') o.log(JSON.stringify({ q: s.queues.map((q: any) => ({ ...q, entries: q.entries.length })), a: s.agents.slice(0, 6) }));
      }).catch(() => undefined);
    }, 10_000);
    await uac.done;
    clearInterval(progress);
    const counts = sippCounts(path.join(dir, 'uac-stats.csv'));
    o.log(`sipp carrier: ${counts.successful} calls completed, ${counts.failed} failed`);
    if (counts.failed > 0) {
      // sipp's -trace_err file says why each failed call failed (unexpected message, timeout, …).
      for (const f of readdirSync(dir).filter((n) => /^uac_\d+_errors\.log$/.test(n))) {
        const lines = readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim() && !/^-+$/.test(l.trim()));
        o.log(`carrier errors (${f}, first of ${lines.length} lines):\n  ${lines.slice(0, 12).join('\n  ')}`);
      }
    }

    // A box that fell behind still holds calls the carrier gave up on: let it drain (bounded) before judging.
    const drainFrom = Date.now();
    let live = ((await api.get('/calls')).body as unknown[]).length;
    while (live > 0 && Date.now() - drainFrom < 180_000) {
      await sleep(2000);
      live = ((await api.get('/calls')).body as unknown[]).length;
    }
    o.log(`calls left in the box after the run: ${live} (waited ${((Date.now() - drainFrom) / 1000).toFixed(0)} s)`);
    // The records of calls that ended last are written right after (a call waits up to 15 s for its recording
    // and survey before its record): wait until the count has not grown for 20 s.
    let total = -1;
    for (let stable = 0; stable < 20;) {
      const n = (await api.get(`/records?from=${from}&pageSize=1`)).body.total as number;
      stable = n === total ? stable + 1 : 0;
      total = n;
      if (n >= sent) break;
      await sleep(1000);
    }
    const byStatus: Record<string, number> = {};
    for (const code of ['normal', 'ivrEnd', 'ivrAbandon', 'queueAbandon', 'ringAbandon', 'agentNoAnswer', 'noAgentOnline', 'systemError', 'notConnected', 'agentTransfer']) {
      const n = (await api.get(`/records?from=${from}&endStatus=${code}&pageSize=1`)).body.total as number;
      if (n) byStatus[code] = n;
    }
    const ok = byStatus.normal ?? 0;
    o.log(`records: ${total} written, by status ${JSON.stringify(byStatus)}`);

    // Every agent back to 示闲 / 空闲 with no call (a short grace for the last hang-ups to settle).
    let stuck = 0;
    for (let i = 0; i < 20; i++) {
      const snap = (await api.get('/monitor/snapshot')).body;
      const wrong = snap.agents.filter((a: { agentId: number; status: string; dispatch: string; callId: string | null; openSessions: number }) =>
        agentIds.includes(a.agentId) && (a.status !== 'idle' || a.dispatch !== 'waiting' || a.callId !== null || a.openSessions > 0));
      stuck = wrong.length;
      if (!stuck) break;
      if (i === 19) o.log(`agents in a wrong state: ${JSON.stringify(wrong.slice(0, 5))}`);
      await sleep(500);
    }
    live = ((await api.get('/calls')).body as unknown[]).length;
    if (sent - ok > 0 && process.env.BENCH_DEBUG === '1') {
      o.log(`box log tail:\n${box.output().slice(-4000)}`);
      o.log(`agent phones (sipp) tail:\n${uas.output().slice(-3000)}`);
    }
    // Failed: not 正常结束 by the box's record, or failed for the carrier (e.g. it gave up waiting for the BYE) —
    // whichever count is larger, since the two cannot be matched call by call.
    const sippFailed = Number.isFinite(counts.failed) ? counts.failed : 0;
    return { sent, ok, failed: Math.max(sent - ok, sippFailed), stuckAgents: stuck, byStatus, sipp: counts, liveCallsAtEnd: live };
  } finally {
    if (uas && uas.child.exitCode === null) uas.child.kill('SIGTERM');
    await box.stop();
    await smtp.close();
    if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    else o.log(`kept ${dir}`);
  }
}
