// The ringing sound, made with WebAudio (no audio files on the box): a two-tone burst, twice, then a pause —
// repeated until stop(). Browsers start an AudioContext only after a user gesture, so unlock() is called
// from the page's first click; before that the ring is silent but the page still shows the call.

const PATTERN_MS = 3000;

export class Ringtone {
  private ctx: AudioContext | null = null;
  private timer: number | undefined;
  private gain: GainNode | null = null;
  private sinkId = '';

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    this.ctx = new Ctor();
    this.applySink();
    return this.ctx;
  }

  /** Call from a user gesture so later rings are audible. */
  unlock(): void {
    void this.context()?.resume().catch(() => undefined);
  }

  /** Plays on the chosen output device where the browser can (AudioContext.setSinkId, Chromium 110+). */
  setSink(deviceId: string): void {
    this.sinkId = deviceId;
    this.applySink();
  }

  private applySink(): void {
    const ctx = this.ctx as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (ctx?.setSinkId) void ctx.setSinkId(this.sinkId).catch(() => undefined);
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.playing) return;
    const burst = () => this.burst();
    burst();
    this.timer = window.setInterval(burst, PATTERN_MS);
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.gain?.gain.cancelScheduledValues(0);
    this.gain?.disconnect();
    this.gain = null;
  }

  /** 0.4 s of 440+480 Hz, 0.2 s gap, 0.4 s again (a soft telephone ring). */
  private burst(): void {
    const ctx = this.context();
    if (!ctx || ctx.state !== 'running') return;
    const t0 = ctx.currentTime + 0.02;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    for (const start of [t0, t0 + 0.6]) {
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(0.18, start + 0.02);
      gain.gain.setValueAtTime(0.18, start + 0.38);
      gain.gain.linearRampToValueAtTime(0, start + 0.4);
    }
    for (const freq of [440, 480]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(t0);
      osc.stop(t0 + 1.05);
    }
    this.gain = gain;
  }

  close(): void {
    this.stop();
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }
}
