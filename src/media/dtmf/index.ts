// Public face of media/dtmf: RFC 4733 receive/generate, in-band Goertzel detection, tones.
export * from './dtmf-types.ts';
export { DTMF_DIGITS, ROW_FREQS, COL_FREQS, KEYPAD, isDtmfDigit, digitToEvent, eventToDigit, digitFrequencies } from './digits.ts';
export { TELEPHONE_EVENT_SIZE, parseTelephoneEvent, writeTelephoneEvent, createTelephoneEvent } from './telephone-event.ts';
export { Rfc4733Receiver } from './rfc4733-receiver.ts';
export { generateRfc4733 } from './rfc4733-generator.ts';
export { InbandDtmfDetector } from './inband-detector.ts';
export { GoertzelBank } from './goertzel.ts';
export { generateDtmfTone, generateDtmfSequence } from './tone-generator.ts';
