// 呼入接听设置 and the queue and routing settings, global or per skill group, with the rules for their fields
// (one zod schema shared by the API and the store, so both say the same thing).
import { z } from 'zod';

const queueAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('overflow'), skillGroupId: z.number().int().positive() }),
  z.object({ action: z.literal('voicemail') }),
  z.object({ action: z.literal('hangup'), prompt: z.string().trim().max(500, '最长 500 个字符 (at most 500 characters)').nullable() }),
]);

/** What to do with a waiting call: overflow to another group, voicemail, or hang up with a prompt. */
export type QueueAction = z.infer<typeof queueAction>;

const seconds = (min: number, max: number) =>
  z.number().int(`须为整数 (whole seconds)`).min(min, `至少 ${min} 秒 (at least ${min} s)`).max(max, `最多 ${max} 秒 (at most ${max} s)`);

export const DISTRIBUTIONS = ['sequential', 'groupPriority', 'longestIdle', 'fewestCalls'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export const acdSettingsSchema = z
  .object({
    answer: z
      .object({
        /** 呼入自动接听 */
        autoAnswer: z.boolean(),
        /** 呼入超时转接: ring N s, then the next agent. Disabled: ring until the caller's max wait. */
        ringTimeout: z.object({ enabled: z.boolean(), seconds: seconds(5, 300) }).strict(),
        /** 话后恢复空闲: 话后整理 ends on its own after N s. Disabled: the agent resumes by hand (恢复接待). */
        afterCallIdle: z.object({ enabled: z.boolean(), seconds: seconds(1, 3600) }).strict(),
        /** 超时转接后自动置为小休: the agent who let it ring out goes to 小休 (else stays 示闲). */
        breakAfterRingTimeout: z.boolean(),
      })
      .strict(),
    routing: z
      .object({
        /** Order for 顺序振铃 groups (同时振铃 comes from the group's ring mode). */
        distribution: z.enum(DISTRIBUTIONS),
        /** 上次接入人优先: the last agent who talked to the number (3 days) rings first. */
        lastAgentFirst: z.boolean(),
      })
      .strict(),
    queue: z
      .object({
        maxWaitSec: seconds(10, 7200),
        announce: z.object({ intervalSec: seconds(0, 600), position: z.boolean(), estimatedWait: z.boolean() }).strict(),
        noAgentAction: queueAction,
        maxWaitAction: queueAction,
        /** 排队回呼: the caller may press a key, hang up and be called back keeping their place. */
        callback: z.object({ enabled: z.boolean(), maxAttempts: z.number().int().min(1).max(5) }).strict(),
      })
      .strict(),
  })
  .strict();

export type AcdSettings = z.infer<typeof acdSettingsSchema>;

export const DEFAULT_ACD_SETTINGS: AcdSettings = {
  answer: {
    autoAnswer: false,
    ringTimeout: { enabled: true, seconds: 20 },
    afterCallIdle: { enabled: true, seconds: 15 },
    breakAfterRingTimeout: false,
  },
  routing: { distribution: 'sequential', lastAgentFirst: true },
  queue: {
    maxWaitSec: 300,
    announce: { intervalSec: 30, position: true, estimatedWait: false },
    noAgentAction: { action: 'hangup', prompt: '当前无客服在线，请稍后再拨' },
    maxWaitAction: { action: 'voicemail' },
    callback: { enabled: false, maxAttempts: 2 },
  },
};

/** PUT /acd/settings: the global settings (skillGroupId null) or one group's override (settings null = back to global). */
export const acdSettingsInputSchema = z
  .object({
    skillGroupId: z.number().int().positive().nullable(),
    settings: acdSettingsSchema.nullable(),
  })
  .strict();

export type AcdSettingsInput = z.infer<typeof acdSettingsInputSchema>;

export interface AcdSettingsView {
  global: AcdSettings;
  groups: { skillGroupId: number; name: string; settings: AcdSettings | null }[];
}
