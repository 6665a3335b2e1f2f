// Sends digits towards the phone: RFC 4733 packets when telephone-event was negotiated,
// otherwise Q.23 tones in the audio. Paced by the frame clock; other audio to the phone is
// held back while digits go out. Requests queue one after another.
import { encodeG711 } from '../codec/index.ts';
import { generateDtmfTone, generateRfc4733, type DtmfDigit, type TelephoneEventPacket } from '../dtmf/index.ts';
import { FrameClock } from '../player/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { SendDtmfOptions } from './edge-types.ts';
import { newGeneratedKey, type OutboundPath } from './outbound-path.ts';

type ScheduleItem =
  | { slot: number; kind: 'event'; key: number; index: number; packet: TelephoneEventPacket }
  | { slot: number; kind: 'frame'; key: number; index: number; frame: Uint8Array };

const FRAME_MS = 20;

export class DtmfSender {
  private readonly frameClock: FrameClock;
  private queue: Promise<void> = Promise.resolve();
  private busy = 0;
  private cancelCurrent: (() => void) | undefined;

  constructor(private readonly clock: Clock, private readonly out: OutboundPath, private readonly onActiveChange: () => void) {
    this.frameClock = new FrameClock(clock, FRAME_MS);
  }

  get active(): boolean {
    return this.busy > 0;
  }

  send(digits: readonly DtmfDigit[], options: SendDtmfOptions = {}): Promise<void> {
    this.busy++;
    const run = this.queue.then(() => this.run(digits, options));
    this.queue = run.catch(() => undefined).finally(() => {
      this.busy--;
      this.onActiveChange();
    });
    return run;
  }

  /** Stops what is being sent (leg closing). */
  cancel(): void {
    this.cancelCurrent?.();
  }

  private run(digits: readonly DtmfDigit[], options: SendDtmfOptions): Promise<void> {
    const schedule = this.out.telephoneEventPt === null ? this.inbandSchedule(digits, options) : this.rfc4733Schedule(digits, options);
    const lastSlot = schedule.length > 0 ? schedule[schedule.length - 1].slot : -1;
    this.onActiveChange();
    return new Promise<void>((resolve) => {
      let next = 0;
      this.cancelCurrent = () => {
        this.frameClock.stop();
        resolve();
      };
      this.frameClock.start((slot) => {
        const now = this.clock.monotonic();
        for (; next < schedule.length && schedule[next].slot <= slot; next++) {
          const item = schedule[next];
          if (item.kind === 'event') this.out.sendTelephoneEvent(item.key, item.index, item.packet, now);
          else this.out.sendFrame(item.key, item.index, item.frame, this.out.legLaw, now);
        }
        if (slot < lastSlot) return true;
        resolve();
        return false;
      });
    });
  }

  private rfc4733Schedule(digits: readonly DtmfDigit[], o: SendDtmfOptions): ScheduleItem[] {
    const items: ScheduleItem[] = [];
    let base = 0;
    for (const digit of digits) {
      const key = newGeneratedKey();
      const packets = generateRfc4733({ digit, durationMs: o.durationMs ?? 100, volume: o.volume ?? 10, intervalMs: FRAME_MS });
      packets.forEach((packet, index) => items.push({ slot: base + packet.offsetMs / FRAME_MS, kind: 'event', key, index, packet }));
      base += packets[packets.length - 1].offsetMs / FRAME_MS + 1 + Math.round((o.gapMs ?? 60) / FRAME_MS);
    }
    return items;
  }

  private inbandSchedule(digits: readonly DtmfDigit[], o: SendDtmfOptions): ScheduleItem[] {
    const items: ScheduleItem[] = [];
    const key = newGeneratedKey();
    const law = this.out.legLaw;
    const gapFrames = Math.round((o.gapMs ?? 60) / FRAME_MS);
    const silence = encodeG711(law, new Int16Array(160));
    let slot = 0;
    for (const digit of digits) {
      const tone = encodeG711(law, generateDtmfTone(digit, { durationMs: o.durationMs ?? 100 }));
      for (let i = 0; i < tone.length; i += 160, slot++) {
        const frame = tone.length - i >= 160 ? tone.subarray(i, i + 160) : padded(tone.subarray(i), silence);
        items.push({ slot, kind: 'frame', key, index: slot, frame });
      }
      for (let g = 0; g < gapFrames; g++, slot++) items.push({ slot, kind: 'frame', key, index: slot, frame: silence });
    }
    return items;
  }
}

function padded(part: Uint8Array, silence: Uint8Array): Uint8Array {
  const frame = Uint8Array.from(silence);
  frame.set(part);
  return frame;
}
