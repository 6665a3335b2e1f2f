// What a record keeps about a recording file: channels, duration and size, read from its WAV header
// (the recorder finalized it at hang-up; a missing file is no recording).
import { open } from 'node:fs/promises';
import { parseWavHeader } from '../media/codec/index.ts';
import type { RecordFile } from './record-types.ts';

export async function recordFileOf(path: string): Promise<RecordFile | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const st = await fh.stat();
    const head = Buffer.alloc(Math.min(256, st.size));
    await fh.read(head, 0, head.length, 0);
    const info = parseWavHeader(head);
    const bytesPerSecond = info.sampleRate * info.channels * (info.bitsPerSample / 8);
    const dataBytes = Math.max(0, st.size - info.dataOffset);
    return { path, channels: info.channels === 1 ? 1 : 2, durationMs: bytesPerSecond ? Math.round((dataBytes / bytesPerSecond) * 1000) : 0, bytes: st.size };
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}
