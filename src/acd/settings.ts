// 呼入接听设置 and the queue/routing settings in memory: the global ones, overridden per skill group; read on
// every call without touching the disk, written through the store.
import { validationError } from '../platform/errors.ts';
import type { AcdDirectory } from './directory-view.ts';
import { acdSettingsSchema, DEFAULT_ACD_SETTINGS, type AcdSettings, type QueueAction } from './settings-types.ts';
import type { AcdStore } from './store.ts';

export class AcdSettingsCache {
  private global: AcdSettings = DEFAULT_ACD_SETTINGS;
  private groups = new Map<number, AcdSettings>();

  constructor(private readonly store: AcdStore) {}

  async load(): Promise<void> {
    const s = await this.store.loadSettings();
    // Rows written by an older version may miss newer fields: parse over the defaults, fall back on failure.
    this.global = s.global ? this.parseStored(s.global) : DEFAULT_ACD_SETTINGS;
    this.groups = new Map([...s.groups].map(([id, v]) => [id, this.parseStored(v)]));
  }

  private parseStored(v: AcdSettings): AcdSettings {
    const merged = { ...DEFAULT_ACD_SETTINGS, ...v, answer: { ...DEFAULT_ACD_SETTINGS.answer, ...v.answer }, routing: { ...DEFAULT_ACD_SETTINGS.routing, ...v.routing }, queue: { ...DEFAULT_ACD_SETTINGS.queue, ...v.queue } };
    const r = acdSettingsSchema.safeParse(merged);
    return r.success ? r.data : DEFAULT_ACD_SETTINGS;
  }

  /** The settings a call of this group runs with (null: the 指定座席 queue or an outbound call → global). */
  effective(groupId: number | null): AcdSettings {
    return (groupId !== null && this.groups.get(groupId)) || this.global;
  }

  globalSettings(): AcdSettings {
    return this.global;
  }

  groupOverride(groupId: number): AcdSettings | null {
    return this.groups.get(groupId) ?? null;
  }

  /** Validates references against the directory, then saves. Field names are those of the PUT body. */
  async save(dir: AcdDirectory, groupId: number | null, settings: AcdSettings | null): Promise<void> {
    if (groupId !== null && !dir.groups.has(groupId)) throw validationError('skillGroupId', `skill group ${groupId} does not exist`);
    if (groupId === null && settings === null) throw validationError('settings', '全局设置不能删除 (the global settings cannot be removed)');
    if (settings) {
      checkAction(dir, groupId, settings.queue.noAgentAction, 'settings.queue.noAgentAction.skillGroupId');
      checkAction(dir, groupId, settings.queue.maxWaitAction, 'settings.queue.maxWaitAction.skillGroupId');
    }
    await this.store.saveSettings(groupId, settings);
    if (groupId === null) this.global = settings!;
    else if (settings) this.groups.set(groupId, settings);
    else this.groups.delete(groupId);
  }

  /** A deleted group's override goes with it (the table cascades; the cache follows the directory). */
  forgetMissing(dir: AcdDirectory): void {
    for (const id of this.groups.keys()) if (!dir.groups.has(id)) this.groups.delete(id);
  }
}

function checkAction(dir: AcdDirectory, groupId: number | null, a: QueueAction, field: string): void {
  if (a.action !== 'overflow') return;
  if (!dir.groups.has(a.skillGroupId)) throw validationError(field, `溢出技能组 ${a.skillGroupId} 不存在 (overflow group does not exist)`);
  if (a.skillGroupId === groupId) throw validationError(field, '不能溢出到本技能组 (a group cannot overflow to itself)');
}
