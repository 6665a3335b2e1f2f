// Types of DTMF detection and generation: digits, reported events, RFC 4733 packets.

export type DtmfDigit =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** Where a digit was detected: RFC 2833/4733 packets, in-band tones, or SIP INFO. */
export type DtmfSource = 'rfc2833' | 'inband' | 'info';

/** One key press, reported once when it ends. */
export interface DtmfEvent {
  digit: DtmfDigit;
  durationMs: number;
  source: DtmfSource;
}

/** The 4-byte telephone-event payload of RFC 4733 2.3. */
export interface TelephoneEventPayload {
  /** Event code; 0–15 are the DTMF digits (RFC 4733 3.2). */
  event: number;
  end: boolean;
  /** Power level in -dBm0, 0–63 (RFC 4733 2.3.4). */
  volume: number;
  /** Duration in timestamp units since the event (segment) began. */
  duration: number;
}

/** One packet of a generated event, relative to the event's start. */
export interface TelephoneEventPacket extends TelephoneEventPayload {
  /** When to send it, in ms after the first packet. */
  offsetMs: number;
  marker: boolean;
  /** Added to the event's base RTP timestamp (non-zero only for later segments of long events). */
  timestampOffset: number;
}

export interface Rfc4733ReceiverOptions {
  /** RTP clock rate of telephone-event (8000 unless signalled otherwise). */
  clockRate?: number;
  /** End an event whose end packets were all lost after this much silence (ms). */
  endTimeoutMs?: number;
  /** Called when an event starts (first packet seen); barge-in can stop a prompt here. */
  onBegin?: (digit: DtmfDigit) => void;
  /** Called once per key press when it ends. */
  onDigit: (event: DtmfEvent) => void;
}

export interface Rfc4733GeneratorOptions {
  digit: DtmfDigit;
  durationMs: number;
  volume?: number;
  clockRate?: number;
  /** Update interval; RFC 4733 2.5.1.2 leaves it to the sender, 20 ms matches audio framing. */
  intervalMs?: number;
  /** RFC 4733 2.5.1.4: the final packet is sent a total of three times. */
  endRepeats?: number;
}

export interface InbandDetectorOptions {
  sampleRate?: number;
  /** Minimum tone length to report (ms). */
  minDurationMs?: number;
  /** Minimum level of each of the two tones, in dBm0-ish dBFS (default -36). */
  minLevelDb?: number;
  /** Allowed column-over-row (normal) and row-over-column (reverse) twist in dB. */
  normalTwistDb?: number;
  reverseTwistDb?: number;
  onBegin?: (digit: DtmfDigit) => void;
  onDigit: (event: DtmfEvent) => void;
}

export interface ToneOptions {
  durationMs: number;
  sampleRate?: number;
  /** Peak amplitude of each of the two sines (default 7000 ≈ -13 dBFS each). */
  amplitude?: number;
  /** Extra attenuation of the row tone in dB, to test twist. */
  rowAttenuationDb?: number;
  colAttenuationDb?: number;
}
