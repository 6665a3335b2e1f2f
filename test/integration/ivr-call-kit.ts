// Kit for IVR flows on real calls: a demo box with its own port ranges, tone prompt files (each prompt a
// different pure tone, so the caller can tell which one it heard), a small flow builder, deploying a flow on
// 02088880000, a caller from demo-trunk's address (test/bench/ivr-ua.ts), and the call's record.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../../src/calls/index.ts';
import { makeNodeId } from '../../src/ivr/index.ts';
import { IvrCaller, type HeardSegment, type RxPacket } from '../bench/ivr-ua.ts';
import { ApiClient, startTestBox, type TestBox } from '../helpers/box.ts';
import { CALL_BOX } from './sipp/calls/kit.ts';
import { until } from './sipp/call-path/kit.ts';

export const NUMBER = '02088880000';
export const CUSTOMER = '13800138000';
export const ADMIN_PW = 'Admin-ivr-1';
/** Own port ranges, so colleagues' boxes on this machine do not share them. */
export const IVR_BOX = { ...CALL_BOX, mediaEdgePortMin: 41000, mediaEdgePortMax: 41799, mediaRtcPortMin: 41800, mediaRtcPortMax: 41999 };

export async function ivrBox(): Promise<{ tb: TestBox; admin: ApiClient }> {
  const tb = await startTestBox({ profile: 'demo', adminPassword: ADMIN_PW, ...IVR_BOX });
  const admin = new ApiClient(tb.base);
  assert.equal((await admin.login('admin', ADMIN_PW)).status, 200);
  return { tb, admin };
}

/** Tone prompts: name → frequency (Hz). 200 Hz apart, far beyond the ±25 Hz a 20 ms frame resolves. */
export type Tones = Record<string, number>;

/** Uploads one 700 ms tone prompt file per entry (sox → WAV → the box converts it); returns name → prompt id. */
export async function uploadTones(admin: ApiClient, tones: Tones): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-ivr-tones-'));
  const ids: Record<string, string> = {};
  try {
    for (const [name, hz] of Object.entries(tones)) {
      const file = path.join(dir, `${name}.wav`);
      execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', '0.7', 'sine', String(hz), 'vol', '0.5']);
      const r = await admin.post(`/ivr/prompts?name=${encodeURIComponent(name)}&fileName=${name}.wav`, readFileSync(file), { 'content-type': 'audio/wav' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[name] = r.body.id;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ids;
}

/** The tone prompts the caller heard since `from`, in order (segments of ≥ 300 ms matching a tone; a tone played twice counts twice). */
export function tonesHeard(caller: IvrCaller, tones: Tones, from = 0): string[] {
  const out: { name: string; end: number }[] = [];
  for (const s of caller.heard(from)) {
    const name = toneOf(s, tones);
    if (!name) continue;
    const last = out.at(-1);
    if (last && last.name === name && s.start - last.end < 150) last.end = s.end;
    else out.push({ name, end: s.end });
  }
  return out.map((t) => t.name);
}

export function toneOf(s: HeardSegment, tones: Tones): string | null {
  if (s.packets < 15) return null;
  for (const [name, hz] of Object.entries(tones)) if (Math.abs(s.hz - hz) <= 60) return name;
  return null;
}

/** Resolves with the arrival of the first packet of tone `name` after `after`, once 8 packets in a row of it have come. */
export function hearTone(caller: IvrCaller, tones: Tones, name: string, after: number, timeoutMs = 20_000): Promise<number> {
  return hearHz(caller, tones[name]!, after, 8, timeoutMs);
}

/** The first packet of a run of `n` packets in a row at `hz` (±60 Hz, audible) after `after`: a tone, not a blip of speech. */
export async function hearHz(caller: IvrCaller, hz: number, after: number, n = 8, timeoutMs = 20_000): Promise<number> {
  const is = (p: RxPacket): boolean => p.rms >= 300 && Math.abs(p.hz - hz) <= 60;
  let run = 0;
  let first = 0;
  await caller.packetAfter(after, (p) => {
    if (!is(p)) {
      run = 0;
      return false;
    }
    if (run++ === 0) first = p.at;
    return run >= n;
  }, timeoutMs);
  return first;
}

/** Builds flows with fixed, readable node IDs. */
export class FlowBuilder {
  private n = 0;
  readonly nodes: { id: string; type: string; label: string; params: Record<string, unknown>; outlets: Record<string, string> }[] = [];
  readonly variables: { name: string; default: string }[] = [];

  id(): string {
    this.n++;
    return makeNodeId(Date.UTC(2026, 0, 1), new Uint8Array(10).fill(this.n));
  }

  /** Adds a node (its id made here unless given) and returns the id. */
  add(type: string, label: string, params: Record<string, unknown>, outlets: Record<string, string> = {}, id = this.id()): string {
    this.nodes.push({ id, type, label, params, outlets });
    return id;
  }

  wire(from: string, outlet: string, to: string): void {
    this.nodes.find((x) => x.id === from)!.outlets[outlet] = to;
  }

  get definition() {
    return { variables: this.variables, nodes: this.nodes };
  }
}

export const file = (promptId: string) => ({ kind: 'file', promptId });
export const tts = (text: string, voice?: string) => ({ kind: 'tts', text, ...(voice ? { voice } : {}) });

/** Creates the flow, publishes MAIN and binds it to 02088880000 (replacing the demo IVR there). */
export async function deploy(admin: ApiClient, name: string, definition: unknown): Promise<number> {
  const r = await admin.post('/ivr/flows', { name, kind: 'inbound', definition });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pub = await admin.post(`/ivr/flows/${r.body.id}/versions/MAIN/publish`);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  const bind = await admin.put(`/ivr/bindings/${NUMBER}`, { flowId: r.body.id, version: 'MAIN' });
  assert.equal(bind.status, 200, JSON.stringify(bind.body));
  return r.body.id;
}

/** A customer's call from the carrier (demo-trunk's 127.0.0.2) to 02088880000, answered by the box. */
export async function callIn(tb: TestBox, opts: { caller?: string; callee?: string } = {}): Promise<{ caller: IvrCaller; call: CallRecord; written: Promise<void> }> {
  const calls = tb.box.callCenter.telephony.calls;
  const caller = await IvrCaller.open({ box: { host: '127.0.0.1', port: tb.box.sip.transport.portOf('udp')! }, caller: opts.caller ?? CUSTOMER, callee: opts.callee ?? NUMBER });
  let written!: Promise<void>;
  const found = new Promise<CallRecord>((resolve) => {
    const on = ({ call }: { call: CallRecord }): void => {
      if (call.legs[0]?.sipCallId !== caller.callId) return;
      calls.off('call-started', on);
      written = new Promise<void>((done) => {
        const w = ({ call: c }: { call: CallRecord }): void => {
          if (c.id !== call.id) return;
          calls.off('record-written', w);
          done();
        };
        calls.on('record-written', w);
      });
      resolve(call);
    };
    calls.on('call-started', on);
  });
  await caller.call();
  const call = await found;
  return { caller, call, written };
}

/** The record of a call as the console shows it (GET /records/{id}). */
export async function recordOf(admin: ApiClient, callId: string): Promise<any> {
  const r = await admin.get(`/records/${callId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/** Node types along the record's IVR path. */
export const pathTypes = (rec: any): string[] => rec.detail.ivr.path.map((s: any) => s.type);

/** Waits for a condition on the box's calls (re-checked on every call event). */
export function whenCalls<T>(tb: TestBox, what: string, check: () => T | undefined, limitMs = 30_000): Promise<T> {
  const c = tb.box.callCenter.telephony.calls;
  return until(what, (fire) => {
    c.on('leg-answered', fire).on('call-started', fire).on('call-ended', fire);
    return () => void c.off('leg-answered', fire).off('call-started', fire).off('call-ended', fire);
  }, check, limitMs);
}
