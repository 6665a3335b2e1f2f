// Cuts G.711 audio into 20 ms frames for the player; the last frame is padded with silence.
import { silenceOctet, type G711Law } from '../codec/index.ts';

export function framesFromG711(audio: Uint8Array, law: G711Law, frameBytes = 160): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < audio.length; offset += frameBytes) {
    if (offset + frameBytes <= audio.length) {
      frames.push(audio.subarray(offset, offset + frameBytes));
    } else {
      const last = new Uint8Array(frameBytes).fill(silenceOctet(law));
      last.set(audio.subarray(offset));
      frames.push(last);
    }
  }
  return frames;
}

/** `count` frames of digital silence (comfort gaps between prompts). */
export function silenceFrames(law: G711Law, count: number, frameBytes = 160): Uint8Array[] {
  const frame = new Uint8Array(frameBytes).fill(silenceOctet(law));
  return Array.from({ length: count }, () => frame);
}
