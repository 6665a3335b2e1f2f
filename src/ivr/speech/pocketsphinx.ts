// Local English keyword recognition with Debian's pocketsphinx (0.8/5prealpha) and its en-us model, in
// JSGF grammar mode: the grammar is the node's keywords (plus English hot words, weighted), so every
// utterance is judged against them. One `pocketsphinx_continuous -infile /dev/stdin` per listening turn
// (the model loads in ~0.2 s while audio already queues in the pipe); it segments utterances with its own
// VAD and prints one line per utterance, which is the final text. Keyword spotting (-kws) was tried and
// gives false hits on phone audio; grammar mode does not.
//
// The model is 16 kHz and the call is 8 kHz G.711. Upsampling with a proper low-pass filter leaves the
// 4–8 kHz band empty and the model misses fricatives ("sales" → "billing"); plain linear interpolation
// leaves spectral images up there that the model's upper filters read like the missing band, and the
// keywords come through (measured with espeak-ng voices: 54/64 vs 3/8 with sox's resampler).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../platform/logger.ts';
import type { AsrEvent, AsrProvider, AsrRequest, AsrSession } from './speech-types.ts';

export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface PocketsphinxOptions {
  command?: string;
  /** Acoustic model folder (default the Debian package's en-us). */
  hmm?: string;
  /** Pronunciation dictionary (default the model's cmudict). */
  dict?: string;
  log?: Logger;
}

/** 8 kHz → 16 kHz by linear interpolation (see the file comment for why not a filtered resampler). */
export function upsample8kTo16k(pcm: Int16Array, carry: { last: number }): Buffer {
  const out = Buffer.alloc(pcm.length * 4);
  let prev = carry.last;
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i]!;
    out.writeInt16LE((prev + s) >> 1, i * 4);
    out.writeInt16LE(s, i * 4 + 2);
    prev = s;
  }
  carry.last = prev;
  return out;
}

const WORD = /^[a-z][a-z']*$/;

export class PocketsphinxProvider implements AsrProvider {
  readonly name = 'pocketsphinx';
  private dictionary: Map<string, string[]> | null = null;

  constructor(private readonly o: PocketsphinxOptions = {}) {}

  /** word → its dictionary lines (alternative pronunciations included), loaded once. */
  private lexicon(): Map<string, string[]> {
    if (this.dictionary) return this.dictionary;
    const file = this.o.dict ?? path.join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict');
    const map = new Map<string, string[]>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const sp = line.indexOf(' ');
      if (sp <= 0) continue;
      const word = line.slice(0, sp).replace(/\(\d+\)$/, '');
      const lines = map.get(word);
      if (lines) lines.push(line);
      else map.set(word, [line]);
    }
    this.dictionary = map;
    return map;
  }

  private words(phrase: string): string[] | null {
    const words = phrase.toLowerCase().trim().split(/\s+/);
    const lex = this.lexicon();
    return words.length && words.every((w) => WORD.test(w) && lex.has(w)) ? words : null;
  }

  async usableKeywords(req: AsrRequest): Promise<string[]> {
    if (req.language !== 'en') return [];
    try {
      return req.keywords.filter((k) => this.words(k));
    } catch {
      return []; // no model installed
    }
  }

  /** The JSGF grammar and the small dictionary of its words. */
  grammar(req: AsrRequest): { jsgf: string; dict: string } {
    const alts = new Map<string, number>();
    for (const k of req.keywords) if (this.words(k)) alts.set(k.toLowerCase().trim().split(/\s+/).join(' '), 10);
    for (const h of req.hotWords) {
      const w = this.words(h.word);
      if (w && !alts.has(w.join(' '))) alts.set(w.join(' '), Math.max(1, Math.min(10, h.weight)));
    }
    const lex = this.lexicon();
    const used = new Set([...alts.keys()].flatMap((a) => a.split(' ')));
    const body = [...alts].map(([a, w]) => `/${w}/ ${a}`).join(' | ');
    return {
      jsgf: `#JSGF V1.0;\ngrammar menu;\npublic <choice> = ${body} ;\n`,
      dict: [...used].flatMap((w) => lex.get(w) ?? []).join('\n') + '\n',
    };
  }

  async start(req: AsrRequest, onEvent: (e: AsrEvent) => void): Promise<AsrSession> {
    const usable = await this.usableKeywords(req);
    if (usable.length === 0) throw new Error('pocketsphinx: none of the keywords is an English word of its dictionary');
    const { jsgf, dict } = this.grammar({ ...req, keywords: usable });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ccbox-asr-'));
    writeFileSync(path.join(dir, 'menu.gram'), jsgf);
    writeFileSync(path.join(dir, 'menu.dict'), dict);
    const fifo = path.join(dir, 'audio.raw');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const child = spawn(this.o.command ?? 'pocketsphinx_continuous', [
      '-infile', fifo, '-hmm', this.o.hmm ?? path.join(POCKETSPHINX_MODEL_DIR, 'en-us'),
      '-jsgf', path.join(dir, 'menu.gram'), '-dict', path.join(dir, 'menu.dict'), '-logfn', '/dev/null',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Opening a FIFO for writing waits for the reader: done on libuv's pool, writes queue meanwhile.
    const audio = createWriteStream(fifo);
    return new PocketsphinxSession(child, audio, dir, onEvent, this.o.log);
  }
}

class PocketsphinxSession implements AsrSession {
  private readonly carry = { last: 0 };
  private out = '';
  private readonly exited: Promise<void>;
  private stopped = false;

  constructor(private readonly child: ChildProcess, private readonly audio: WriteStream, private readonly dir: string, onEvent: (e: AsrEvent) => void, log?: Logger) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      this.out += d;
      let nl;
      while ((nl = this.out.indexOf('\n')) >= 0) {
        const line = this.out.slice(0, nl).trim();
        this.out = this.out.slice(nl + 1);
        onEvent({ kind: 'final', text: line });
      }
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 2000) err += d.toString();
    });
    audio.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => {
        this.unblockWriter();
        if (!this.stopped) onEvent({ kind: 'error', message: `pocketsphinx cannot run: ${e.message}` });
        this.stopped = true;
        resolve();
      });
      child.on('close', (code, signal) => {
        this.unblockWriter();
        rmSync(dir, { recursive: true, force: true });
        if (code !== 0 && !this.stopped) {
          log?.warn({ code, signal, err: err.slice(0, 300) }, 'pocketsphinx exited');
          onEvent({ kind: 'error', message: `pocketsphinx exited (${signal ?? code})` });
        }
        resolve();
      });
    });
  }

  /**
   * A writer still opening the FIFO (the program died before reading it) holds a pool thread: let it through.
   * The reader end stays open until the writer's open has returned — that open may not even have started on
   * the pool yet (a busy pool), and a reader opened and closed before it would leave it blocked for good.
   */
  private unblockWriter(): void {
    if (!this.audio.pending) return;
    let fd: number;
    try {
      fd = openSync(this.audio.path as string, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return; // already gone
    }
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
    };
    this.audio.once('open', release);
    this.audio.once('close', release);
    this.audio.once('error', release);
  }

  write(pcm: Int16Array): void {
    if (this.stopped || !this.audio.writable) return;
    this.audio.write(upsample8kTo16k(pcm, this.carry));
  }

  end(): Promise<void> {
    this.audio.end();
    return this.exited;
  }

  abort(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.child.kill('SIGKILL');
    this.audio.destroy();
    void this.exited.then(() => rmSync(this.dir, { recursive: true, force: true }));
  }
}
