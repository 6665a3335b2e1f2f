// 放音文件管理: prompt metadata (name, original file name, duration, uploader) over a PromptStore; a
// prompt a flow uses — or another part of the box that registered as a prompt user (通话设置) — cannot be
// deleted (the answer names where it is used).
import type { Database } from '../../platform/db.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { promptIdsIn } from '../flow/index.ts';
import type { PromptStore } from '../prompts/prompt-store.ts';
import { usedBy } from './flow-store.ts';
import type { PromptView, StoredDefinition } from './store-types.ts';

interface PromptRow {
  id: string;
  name: string;
  original_name: string;
  duration_ms: number;
  size_bytes: number;
  uploaded_by: number | null;
  created_at: number;
  updated_at: number;
}

export const PROMPT_NAME_RE = /^[^\\/:*?"<>|\u0000-\u001f]{1,64}$/u;
export const PROMPT_NAME_MSG = '名称 1–64 个字符，不含 \\ / : * ? " < > | (name: 1–64 characters without \\ / : * ? " < > |)';

/**
 * Another part of the box that refers to prompt files (the call side's 通话设置): where it uses `promptId`,
 * as names a site admin recognises (e.g. "通话设置-通话保持放音"); empty when it does not. Registered at
 * composition time, so the IVR never imports its users.
 */
export type PromptUsers = (promptId: string) => Promise<string[]>;

export class PromptLibrary {
  private readonly users: PromptUsers[] = [];

  constructor(
    private readonly db: Database,
    private readonly store: PromptStore,
    private readonly definitions: () => Promise<StoredDefinition[]>,
    private readonly now: () => number = Date.now,
  ) {}

  private view(r: PromptRow, defs: StoredDefinition[]): PromptView {
    return {
      id: r.id,
      name: r.name,
      originalName: r.original_name,
      durationMs: r.duration_ms,
      sizeBytes: r.size_bytes,
      uploadedBy: r.uploaded_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      usedBy: usedBy(defs, (d) => d.nodes.some((n) => promptIdsIn(n.params).has(r.id))),
    };
  }

  async list(): Promise<PromptView[]> {
    const defs = await this.definitions();
    return (await this.db.all<PromptRow>('SELECT * FROM ivr_prompts ORDER BY created_at DESC, name')).map((r) => this.view(r, defs));
  }

  async get(id: string): Promise<PromptView> {
    const row = await this.db.get<PromptRow>('SELECT * FROM ivr_prompts WHERE id = ?', [id]);
    if (!row) throw notFound('prompt file');
    return this.view(row, await this.definitions());
  }

  /** ID → name of every prompt (transcripts, lookups). */
  async names(): Promise<Record<string, string>> {
    const rows = await this.db.all<{ id: string; name: string }>('SELECT id, name FROM ivr_prompts');
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async upload(name: string, originalName: string, data: Buffer, userId: number | null): Promise<PromptView> {
    if (!PROMPT_NAME_RE.test(name)) throw validationError('name', PROMPT_NAME_MSG);
    if (await this.db.get('SELECT 1 FROM ivr_prompts WHERE name = ?', [name])) throw conflict('name', `放音文件名称已存在: ${name} (name already used)`);
    const { promptId, durationMs } = await this.store.import(data, originalName);
    const now = this.now();
    try {
      await this.db.run('INSERT INTO ivr_prompts (id, name, original_name, duration_ms, size_bytes, uploaded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        promptId, name, originalName.slice(0, 200), durationMs, data.length, userId, now, now,
      ]);
    } catch (err) {
      // Lost a race for the name: the converted file must not stay behind.
      await this.store.remove(promptId).catch(() => undefined);
      if (await this.db.get('SELECT 1 FROM ivr_prompts WHERE name = ?', [name])) throw conflict('name', `放音文件名称已存在: ${name} (name already used)`);
      throw err;
    }
    return this.get(promptId);
  }

  async rename(id: string, name: string): Promise<PromptView> {
    if (!PROMPT_NAME_RE.test(name)) throw validationError('name', PROMPT_NAME_MSG);
    await this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 FROM ivr_prompts WHERE id = ?', [id]))) throw notFound('prompt file');
      if (await tx.get('SELECT 1 FROM ivr_prompts WHERE name = ? AND id <> ?', [name, id])) throw conflict('name', `放音文件名称已存在: ${name} (name already used)`);
      await tx.run('UPDATE ivr_prompts SET name = ?, updated_at = ? WHERE id = ?', [name, this.now(), id]);
    });
    return this.get(id);
  }

  /** Registers a prompt user; returns the function that removes it. */
  addUsers(users: PromptUsers): () => void {
    this.users.push(users);
    return () => {
      const i = this.users.indexOf(users);
      if (i >= 0) this.users.splice(i, 1);
    };
  }

  /** Where a prompt is used outside the IVR flows (the registered users). */
  async usedElsewhere(id: string): Promise<string[]> {
    return (await Promise.all(this.users.map((u) => u(id)))).flat();
  }

  async remove(id: string): Promise<void> {
    const p = await this.get(id);
    const flows = p.usedBy.map((u) => `IVR ${u.flowName} (${u.versions.join(', ')})`);
    const elsewhere = await this.usedElsewhere(id);
    if (flows.length || elsewhere.length) {
      throw conflict('id', `放音文件正在使用中: ${[...flows, ...elsewhere].join('、')} (the prompt is in use there)`);
    }
    await this.db.run('DELETE FROM ivr_prompts WHERE id = ?', [id]);
    await this.store.remove(id);
  }

  path(id: string): string {
    return this.store.path(id);
  }
}
