// 热词: named lists of words with weights 1–10, at most 1000 words on the box; attached to speech menus
// and handed to the recognizer. Import of a `word|weight` .txt replaces a list, or changes nothing.
import { z } from 'zod';
import type { Database } from '../../platform/db.ts';
import { CcboxError, conflict, notFound, validationError, type RowError } from '../../platform/errors.ts';
import type { HotWord } from '../runtime/call-control.ts';
import { usedBy } from './flow-store.ts';
import type { HotWordListView, StoredDefinition } from './store-types.ts';

export const MAX_HOT_WORDS = 1000;
export const MAX_HOT_WORD_IMPORT_BYTES = 100 * 1024;
const CJK = /\p{Script=Han}/u;
const WORD_CHARS = /^[\p{Script=Han}A-Za-z0-9_\- ]+$/u;

/** ≤ 10 Chinese characters or ≤ 20 characters: a Han character counts as two. */
export function hotWordProblem(word: string): string | null {
  if (!word.trim()) return '热词不能为空 (empty word)';
  if (!WORD_CHARS.test(word)) return '热词只能包含中文、字母、数字、空格、_ 和 - (only CJK, letters, digits, space, _ and -)';
  const width = [...word].reduce((n, ch) => n + (CJK.test(ch) ? 2 : 1), 0);
  if (width > 20) return '热词最长 10 个汉字或 20 个字符 (at most 10 Chinese characters or 20 characters)';
  return null;
}

export const hotWordSchema = z.object({
  word: z.string().trim().superRefine((w, ctx) => {
    const p = hotWordProblem(w);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  }),
  weight: z.number().int().min(1, '权重 1–10 (weight 1–10)').max(10, '权重 1–10 (weight 1–10)'),
});

export const hotWordListInput = z.object({
  name: z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)'),
  words: z
    .array(hotWordSchema)
    .max(MAX_HOT_WORDS)
    .superRefine((words, ctx) => {
      const seen = new Set<string>();
      words.forEach((w, i) => {
        if (seen.has(w.word)) ctx.addIssue({ code: 'custom', message: `热词重复: ${w.word} (duplicate word)`, path: [i, 'word'] });
        seen.add(w.word);
      });
    }),
});
export type HotWordListInput = z.infer<typeof hotWordListInput>;

interface ListRow {
  id: number;
  name: string;
  words: string;
  created_at: number;
  updated_at: number;
}

/** Parses a `word|weight` file; every bad line is reported, with its number. */
export function parseHotWordFile(text: string): { words: HotWord[]; rows: RowError[] } {
  const words: HotWord[] = [];
  const rows: RowError[] = [];
  const seen = new Set<string>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^(.*)\|\s*(\d+)\s*$/.exec(line);
    const parsed = m ? hotWordSchema.safeParse({ word: m[1]!.trim(), weight: Number(m[2]) }) : null;
    if (!parsed?.success) {
      rows.push({ row: i + 1, field: m ? (parsed?.error?.issues[0]?.path[0] as string) ?? 'word' : 'line', message: parsed?.error?.issues[0]?.message ?? '格式应为 热词|权重 (expected word|weight)' });
    } else if (seen.has(parsed.data.word)) {
      rows.push({ row: i + 1, field: 'word', message: `热词重复: ${parsed.data.word} (duplicate word)` });
    } else {
      seen.add(parsed.data.word);
      words.push(parsed.data);
    }
  });
  return { words, rows };
}

export class HotWordLists {
  constructor(
    private readonly db: Database,
    private readonly definitions: () => Promise<StoredDefinition[]>,
    private readonly now: () => number = Date.now,
  ) {}

  private view(r: ListRow, defs: StoredDefinition[]): HotWordListView {
    return {
      id: r.id,
      name: r.name,
      words: JSON.parse(r.words) as HotWord[],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      usedBy: usedBy(defs, (d) => d.nodes.some((n) => n.type === 'speechMenu' && n.params.hotWordListId === r.id)),
    };
  }

  async list(): Promise<HotWordListView[]> {
    const defs = await this.definitions();
    return (await this.db.all<ListRow>('SELECT * FROM ivr_hot_word_lists ORDER BY id')).map((r) => this.view(r, defs));
  }

  async get(id: number): Promise<HotWordListView> {
    const row = await this.db.get<ListRow>('SELECT * FROM ivr_hot_word_lists WHERE id = ?', [id]);
    if (!row) throw notFound('hot-word list');
    return this.view(row, await this.definitions());
  }

  async ids(): Promise<Set<number>> {
    return new Set((await this.db.all<{ id: number }>('SELECT id FROM ivr_hot_word_lists')).map((r) => r.id));
  }

  /** The words of the given lists, for a call's snapshot. */
  async wordsOf(ids: number[]): Promise<Record<number, HotWord[]>> {
    const out: Record<number, HotWord[]> = {};
    for (const id of ids) {
      const row = await this.db.get<{ words: string }>('SELECT words FROM ivr_hot_word_lists WHERE id = ?', [id]);
      if (row) out[id] = JSON.parse(row.words) as HotWord[];
    }
    return out;
  }

  async create(input: HotWordListInput): Promise<HotWordListView> {
    const id = await this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM ivr_hot_word_lists WHERE name = ?', [input.name])) throw conflict('name', `热词表名称已存在: ${input.name} (name already used)`);
      await this.checkTotal(tx, null, input.words.length);
      const now = this.now();
      return (await tx.run('INSERT INTO ivr_hot_word_lists (name, words, word_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [input.name, JSON.stringify(input.words), input.words.length, now, now])).lastID;
    });
    return this.get(id);
  }

  async update(id: number, patch: Partial<HotWordListInput>): Promise<HotWordListView> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<ListRow>('SELECT * FROM ivr_hot_word_lists WHERE id = ?', [id]);
      if (!row) throw notFound('hot-word list');
      const name = patch.name ?? row.name;
      if (name !== row.name && (await tx.get('SELECT 1 FROM ivr_hot_word_lists WHERE name = ?', [name]))) throw conflict('name', `热词表名称已存在: ${name} (name already used)`);
      const words = patch.words ?? (JSON.parse(row.words) as HotWord[]);
      await this.checkTotal(tx, id, words.length);
      await tx.run('UPDATE ivr_hot_word_lists SET name = ?, words = ?, word_count = ?, updated_at = ? WHERE id = ?', [name, JSON.stringify(words), words.length, this.now(), id]);
    });
    return this.get(id);
  }

  /** Replaces the list's words with the file's; any bad line refuses the whole file. */
  async importFile(id: number, text: string): Promise<HotWordListView> {
    const { words, rows } = parseHotWordFile(text);
    if (rows.length) throw new CcboxError('CCBOX_ERR_IMPORT', `${rows.length} 行有误，未做任何修改 (${rows.length} invalid lines; nothing replaced)`, { rows });
    return this.update(id, { words });
  }

  exportFile(list: HotWordListView): string {
    return list.words.map((w) => `${w.word}|${w.weight}`).join('\n') + (list.words.length ? '\n' : '');
  }

  async remove(ids: number[]): Promise<void> {
    const defs = await this.definitions();
    await this.db.transaction(async (tx) => {
      for (const id of ids) {
        const row = await tx.get<ListRow>('SELECT * FROM ivr_hot_word_lists WHERE id = ?', [id]);
        if (!row) throw notFound(`hot-word list ${id}`);
        const users = this.view(row, defs).usedBy;
        if (users.length) throw conflict('id', `热词表「${row.name}」正在被 IVR 使用: ${users.map((u) => u.flowName).join('、')} (used by these flows)`);
        await tx.run('DELETE FROM ivr_hot_word_lists WHERE id = ?', [id]);
      }
    });
  }

  private async checkTotal(tx: Parameters<Parameters<Database['transaction']>[0]>[0], exceptId: number | null, adding: number): Promise<void> {
    const r = await tx.get<{ n: number | null }>('SELECT sum(word_count) AS n FROM ivr_hot_word_lists WHERE id IS NOT ?', [exceptId]);
    if ((r?.n ?? 0) + adding > MAX_HOT_WORDS) throw validationError('words', `热词总数最多 ${MAX_HOT_WORDS} 个 (at most ${MAX_HOT_WORDS} hot words on the box)`);
  }
}
