// Repairs a recording cut by a power loss: the header still says 0 (or a stale size), so the
// sizes are recomputed from the file length; a `.part` file is then moved to its final name.
import { open, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../../platform/files.ts';
import { parseWavHeader } from '../codec/index.ts';
import type { RepairResult } from './recorder-types.ts';
import { PART_SUFFIX } from './wav-recorder.ts';

const HEAD_BYTES = 4096;

export async function repairWav(file: string): Promise<RepairResult> {
  const fh = await open(file, 'r+');
  let changed = false;
  let dataBytes = 0;
  let durationMs = 0;
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    const info = parseWavHeader(head);
    // A torn last write can leave half a sample frame; drop it.
    dataBytes = Math.floor(Math.max(0, size - info.dataOffset) / info.blockAlign) * info.blockAlign;
    const riffSize = info.dataOffset - 8 + dataBytes + (dataBytes & 1);
    durationMs = Math.round((dataBytes / info.blockAlign / info.sampleRate) * 1000);
    if (info.dataBytes !== dataBytes || info.riffSize !== riffSize || size !== info.dataOffset + dataBytes + (dataBytes & 1)) {
      const patch = Buffer.alloc(4);
      patch.writeUInt32LE(riffSize, 0);
      await fh.write(patch, 0, 4, 4);
      patch.writeUInt32LE(dataBytes, 0);
      await fh.write(patch, 0, 4, info.dataSizeOffset);
      if (info.factOffset >= 0) {
        patch.writeUInt32LE(dataBytes / info.blockAlign, 0);
        await fh.write(patch, 0, 4, info.factOffset);
      }
      await fh.truncate(info.dataOffset + dataBytes);
      if (dataBytes & 1) await fh.write(Buffer.alloc(1), 0, 1, info.dataOffset + dataBytes);
      await fh.sync();
      changed = true;
    }
  } finally {
    await fh.close();
  }
  let finalPath = file;
  if (file.endsWith(PART_SUFFIX)) {
    finalPath = file.slice(0, -PART_SUFFIX.length);
    await rename(file, finalPath);
    await fsyncDir(path.dirname(finalPath));
    changed = true;
  }
  return { path: finalPath, changed, dataBytes, durationMs };
}

/** Boot-time sweep: repairs every `.part` recording in a folder; unreadable ones are reported. */
export async function repairPartFiles(dir: string): Promise<{ repaired: RepairResult[]; failed: { path: string; error: Error }[] }> {
  const repaired: RepairResult[] = [];
  const failed: { path: string; error: Error }[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.wav' + PART_SUFFIX)) continue;
    const file = path.join(dir, name);
    try {
      repaired.push(await repairWav(file));
    } catch (error) {
      failed.push({ path: file, error: error as Error });
    }
  }
  return { repaired, failed };
}
