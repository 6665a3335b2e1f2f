// Generates the RFC 4733 packet sequence of one key press: marker on the first packet, one
// timestamp per event (segment), duration growing every interval, the end packet three times.
import type { Rfc4733GeneratorOptions, TelephoneEventPacket } from './dtmf-types.ts';
import { digitToEvent } from './digits.ts';

const MAX_SEGMENT = 0xffff;

export function generateRfc4733(options: Rfc4733GeneratorOptions): TelephoneEventPacket[] {
  const clockRate = options.clockRate ?? 8000;
  const intervalMs = options.intervalMs ?? 20;
  const endRepeats = options.endRepeats ?? 3;
  const volume = options.volume ?? 10;
  const event = digitToEvent(options.digit);
  const step = Math.round((clockRate * intervalMs) / 1000);
  const total = Math.max(step, Math.round((clockRate * options.durationMs) / 1000));
  const packets: TelephoneEventPacket[] = [];
  let offsetMs = 0;
  let segmentStart = 0;
  for (;;) {
    const remaining = total - segmentStart;
    const last = remaining <= MAX_SEGMENT;
    const segmentLength = last ? remaining : MAX_SEGMENT;
    // RFC 4733 2.5.1.2: the duration reports the time since the event (segment) began;
    // updates go out every interval until the segment's final length is reached.
    let elapsed = Math.round((offsetMs * clockRate) / 1000) + step - segmentStart;
    while (elapsed < segmentLength) {
      packets.push({
        event, end: false, volume, duration: elapsed, offsetMs,
        marker: packets.length === 0, timestampOffset: segmentStart,
      });
      offsetMs += intervalMs;
      elapsed += step;
    }
    // RFC 4733 2.5.1.4: "The final packet for each event and for each segment SHOULD be sent
    // a total of three times"; only the last segment carries the E bit (2.5.1.3).
    for (let i = 0; i < endRepeats; i++) {
      packets.push({
        event, end: last, volume, duration: segmentLength, offsetMs,
        marker: packets.length === 0, timestampOffset: segmentStart,
      });
      offsetMs += intervalMs;
    }
    if (last) return packets;
    segmentStart += MAX_SEGMENT;
  }
}
