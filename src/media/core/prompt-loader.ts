// Turns a prompt (ready frames, an 8 kHz mono WAV prompt file, or TTS text with ${variables})
// into 20 ms G.711 frames for the edge player. Prompts are converted once at upload or TTS
// time, so loading is reading a file; recently used files stay in memory.
import { readFile, stat } from 'node:fs/promises';
import { CcboxError } from '../../platform/errors.ts';
import { encodeG711, pcmFromBytesLE, readWav, type G711Law } from '../codec/index.ts';
import { framesFromG711 } from '../player/index.ts';
import { substituteVariables, type TtsProvider } from '../tts/index.ts';
import type { PromptSource, TtsVoice } from './media-types.ts';

export interface LoadedPrompt {
  frames: Uint8Array[];
  law: G711Law;
}

const MAX_CACHED_FILES = 64;

export class PromptLoader {
  private readonly files = new Map<string, { mtimeMs: number; size: number; fromPcm: boolean; prompt: LoadedPrompt }>();

  constructor(private readonly tts: TtsProvider | null, private readonly defaultVoice: TtsVoice = 'cmn') {}

  /** `law` is the call's: PCM prompts are encoded in it; G.711 files keep theirs (the edge converts). */
  async load(source: PromptSource, law: G711Law): Promise<LoadedPrompt> {
    switch (source.kind) {
      case 'frames':
        if (source.frames.length === 0) throw new CcboxError('CCBOX_ERR_VALIDATION', 'prompt has no frames', { field: 'prompt' });
        return { frames: [...source.frames], law: source.law };
      case 'file':
        return this.loadFile(source.path, law);
      case 'tts':
        return this.renderTts(source.text, source.voice ?? this.defaultVoice, law, source.variables);
      default:
        throw new CcboxError('CCBOX_ERR_VALIDATION', 'unknown prompt kind', { field: 'prompt' });
    }
  }

  async renderTts(text: string, voice: TtsVoice, law: G711Law, variables?: Readonly<Record<string, string | number>>): Promise<LoadedPrompt & { path: string }> {
    if (!this.tts) throw new CcboxError('CCBOX_ERR_UNAVAILABLE', 'no TTS provider is configured');
    const { text: spoken } = substituteVariables(text, variables);
    const r = await this.tts.render(spoken, { voice, law });
    return { frames: framesFromG711(r.audio, r.law), law: r.law, path: r.path };
  }

  private async loadFile(file: string, law: G711Law): Promise<LoadedPrompt> {
    let st;
    try {
      st = await stat(file);
    } catch {
      throw new CcboxError('CCBOX_ERR_NOT_FOUND', `prompt file ${file} not found`, { field: 'prompt' });
    }
    const hit = this.files.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size && (hit.prompt.law === law || !hit.fromPcm)) {
      this.files.delete(file); // re-inserted below: most recently used last
      this.files.set(file, hit);
      return hit.prompt;
    }
    const { prompt, fromPcm } = decodePromptFile(await readFile(file), law, file);
    this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, fromPcm, prompt });
    if (this.files.size > MAX_CACHED_FILES) this.files.delete(this.files.keys().next().value!);
    return prompt;
  }
}

function decodePromptFile(bytes: Buffer, law: G711Law, file: string): { prompt: LoadedPrompt; fromPcm: boolean } {
  let wav;
  try {
    wav = readWav(bytes);
  } catch (err) {
    throw new CcboxError('CCBOX_ERR_VALIDATION', `prompt ${file} is not a WAV file (${(err as Error).message})`, { field: 'prompt' });
  }
  const { info, data } = wav;
  if (info.sampleRate !== 8000 || info.channels !== 1) {
    throw new CcboxError('CCBOX_ERR_VALIDATION', `prompt ${file} must be 8 kHz mono (it is ${info.sampleRate} Hz, ${info.channels} channels); convert it at upload`, { field: 'prompt' });
  }
  if (data.length === 0) throw new CcboxError('CCBOX_ERR_VALIDATION', `prompt ${file} has no audio`, { field: 'prompt' });
  if (info.format === 'pcm16') return { prompt: { frames: framesFromG711(encodeG711(law, pcmFromBytesLE(data)), law), law }, fromPcm: true };
  const fileLaw: G711Law = info.format === 'alaw' ? 'pcma' : 'pcmu';
  return { prompt: { frames: framesFromG711(new Uint8Array(data), fileLaw), law: fileLaw }, fromPcm: false };
}
