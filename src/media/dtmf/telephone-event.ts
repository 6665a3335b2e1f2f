// The RFC 4733 2.3 telephone-event payload:
//   event (8) | E (1) | R (1) | volume (6) | duration (16)
import type { TelephoneEventPayload } from './dtmf-types.ts';

export const TELEPHONE_EVENT_SIZE = 4;

/** Reads the payload at `offset`; false when too short. Fills `out` without allocating. */
export function parseTelephoneEvent(buf: Uint8Array, offset: number, length: number, out: TelephoneEventPayload): boolean {
  if (length < TELEPHONE_EVENT_SIZE) return false;
  out.event = buf[offset];
  out.end = (buf[offset + 1] & 0x80) !== 0;
  // RFC 4733 2.3.3: R is reserved, "MUST be set to zero by the sender and ignored by the receiver".
  out.volume = buf[offset + 1] & 0x3f;
  out.duration = (buf[offset + 2] << 8) | buf[offset + 3];
  return true;
}

export function writeTelephoneEvent(buf: Uint8Array, offset: number, p: TelephoneEventPayload): void {
  buf[offset] = p.event & 0xff;
  buf[offset + 1] = (p.end ? 0x80 : 0) | (p.volume & 0x3f);
  buf[offset + 2] = (p.duration >> 8) & 0xff;
  buf[offset + 3] = p.duration & 0xff;
}

export function createTelephoneEvent(): TelephoneEventPayload {
  return { event: 0, end: false, volume: 0, duration: 0 };
}
