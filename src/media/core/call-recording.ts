// The recording of one call: one SIP leg's edge leg records both directions into a WAV (stereo: customer
// left), or one side mono (voicemail); a stop finalizes the file once, and its result stays for the record.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CcboxError } from '../../platform/errors.ts';
import type { RecordingInfo, RecordingOptions } from './media-types.ts';
import type { SipLeg } from './sip-leg.ts';

interface Recording {
  leg: SipLeg;
  path: string;
  channels: 1 | 2;
}

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);

export class CallRecording {
  private current: Recording | null = null;
  private stopping: Promise<RecordingInfo | null> | null = null;
  /** The last finalized recording (kept for the call record after the call closed). */
  last: RecordingInfo | null = null;

  constructor(private readonly callId: string, private readonly recordingsDir: string) {}

  /** A recording is running or being finalized. */
  get active(): boolean {
    return this.current !== null || this.stopping !== null;
  }

  isOn(leg: SipLeg): boolean {
    return this.current?.leg === leg;
  }

  private defaultPath(channels: 1 | 2, legId: string): string {
    const base = path.join(this.recordingsDir, safeName(channels === 2 ? this.callId : `${this.callId}-${legId}-voicemail`));
    for (let n = 1; ; n++) {
      const p = n === 1 ? `${base}.wav` : `${base}-${n}.wav`;
      if (!existsSync(p) && !existsSync(`${p}.part`)) return p;
    }
  }

  async start(leg: SipLeg, options: RecordingOptions): Promise<{ path: string }> {
    if (this.current) throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} is already recording`);
    const channels = options.channels ?? 2;
    const file = options.path ?? this.defaultPath(channels, leg.id);
    await mkdir(path.dirname(file), { recursive: true });
    const recording: Recording = { leg, path: file, channels };
    this.current = recording;
    try {
      // Left = customer: a customer leg records what it hears on the right, an agent leg the reverse.
      await leg.edgeLeg.startRecording({ path: file, channels, inboundChannel: channels === 1 || leg.role === 'customer' ? 0 : 1 });
    } catch (err) {
      if (this.current === recording) this.current = null;
      throw err;
    }
    return { path: file };
  }

  private require(): Recording {
    if (!this.current) throw new CcboxError('CCBOX_ERR_CONFLICT', `call ${this.callId} is not recording`);
    return this.current;
  }

  pause(): Promise<void> {
    return this.require().leg.edgeLeg.pauseRecording();
  }

  resume(): Promise<void> {
    return this.require().leg.edgeLeg.resumeRecording();
  }

  stop(): Promise<RecordingInfo | null> {
    if (this.stopping) return this.stopping; // one stop at a time; callers share its result
    const rec = this.current;
    if (!rec) return Promise.resolve(null);
    this.stopping = (async () => {
      try {
        const r = await rec.leg.edgeLeg.stopRecording();
        this.last = { path: r.path, durationMs: r.durationMs, channels: r.channels };
        return this.last;
      } finally {
        this.current = null;
        this.stopping = null;
      }
    })();
    return this.stopping;
  }
}
