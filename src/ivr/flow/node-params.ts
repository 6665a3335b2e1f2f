// Parameters of each IVR module, as in the manual's node panels; defaults are the manual's where it has them.
import { z } from 'zod';
import { DIGITS, nodeIdSchema, promptRefSchema, variableName } from './flow-types.ts';

const digit = z.enum(DIGITS);
const seconds = (max: number, dflt: number) => z.number().positive('必须大于 0 (must be positive)').max(max, `最大 ${max} 秒 (at most ${max} s)`).default(dflt);
const count = (min: number, max: number, dflt: number) =>
  z.number().int().min(min, `最小 ${min} (at least ${min})`).max(max, `最大 ${max} (at most ${max})`).default(dflt);
const optionalPrompt = promptRefSchema.optional();
const httpUrl = z
  .string()
  .trim()
  .max(1000)
  .regex(/^https?:\/\/\S+$/i, '必须是 http:// 或 https:// 地址 (must be an http:// or https:// URL)');
/** A phone number, or one `${variable}` holding it. */
export const PHONE_NUMBER_RE = /^\+?[0-9]{3,20}$/;
const phoneNumberOrVar = z
  .string()
  .trim()
  .regex(/^(\+?[0-9]{3,20}|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/, '号码只能是 3–20 位数字或一个 ${变量} (3–20 digits or one ${variable})');
const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, '时间格式为 HH:MM (time as HH:MM)');
const date = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, '日期格式为 YYYY-MM-DD (date as YYYY-MM-DD)');
const timeRange = z
  .object({ from: hhmm, to: hhmm })
  .refine((r) => r.from < r.to, { message: '结束时间必须晚于开始时间 (end must be after start)', path: ['to'] });

function uniqueBy<T>(key: (t: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      const k = key(it);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `${what}重复: ${k} (duplicate ${what})`, path: [i] });
      seen.add(k);
    });
  };
}

export const startParams = z.object({}).strict();

export const playParams = z.object({
  prompt: promptRefSchema,
  /** 允许按键打断 */
  interruptible: z.boolean().default(false),
  /** 播放次数 */
  playCount: count(1, 10, 1),
});

const menuKey = z.object({ key: digit, label: z.string().max(32).default('') });
export const menuParams = z.object({
  prompt: promptRefSchema,
  timeoutPrompt: optionalPrompt,
  errorPrompt: optionalPrompt,
  maxErrors: count(1, 10, 3),
  timeoutSec: seconds(60, 5),
  interDigitTimeoutSec: seconds(30, 3),
  keys: z.array(menuKey).max(12).default([]).superRefine(uniqueBy((k) => k.key, '按键')),
  /** 动态分支: a variable holding a JSON list of {digits, name, label, next}. */
  dynamicVariable: variableName.optional(),
});

export const speechMenuParams = z
  .object({
    prompt: promptRefSchema,
    timeoutPrompt: optionalPrompt,
    nomatchPrompt: optionalPrompt,
    maxRetries: count(1, 10, 3),
    timeoutSec: seconds(60, 5),
    branches: z
      .array(
        z.object({
          key: digit,
          label: z.string().max(32).default(''),
          keywords: z.array(z.string().trim().min(1).max(32)).min(1, '每个分支至少一个关键词 (at least one keyword)').max(50),
        }),
      )
      .min(1, '至少一个分支 (at least one branch)')
      .max(12)
      .superRefine(uniqueBy((b) => b.key, '按键')),
    /** 默认按键: the branch taken when every retry failed (otherwise the fall-through outlet). */
    defaultKey: digit.optional(),
    hotWordListId: z.number().int().positive().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.defaultKey && !p.branches.some((b) => b.key === p.defaultKey)) {
      ctx.addIssue({ code: 'custom', message: '默认按键必须是某个分支的按键 (default key must be a branch key)', path: ['defaultKey'] });
    }
  });

export const toAgentParams = z
  .object({
    mode: z.enum(['skillGroup', 'specifiedSeat']).default('skillGroup'),
    /** The queue (skillGroup mode), or where to wait when the callback names no agent (specifiedSeat mode). */
    skillGroupId: z.number().int().positive().optional(),
    callbackUrl: httpUrl.optional(),
    sdkAppId: z.string().max(64).default(''),
    callbackTimeoutSec: seconds(30, 3),
    callbackMaxErrors: count(1, 5, 2),
    priority: count(1, 5, 3),
    maxWaitSec: seconds(7200, 300),
    prompt: optionalPrompt,
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'skillGroup' && !p.skillGroupId) ctx.addIssue({ code: 'custom', message: '请选择技能组 (choose a skill group)', path: ['skillGroupId'] });
    if (p.mode === 'specifiedSeat' && !p.callbackUrl) ctx.addIssue({ code: 'custom', message: '请填写回调地址 (callback URL required)', path: ['callbackUrl'] });
  });

export const hoursParams = z.object({
  /** IANA zone; absent = the box's time zone. */
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, '未知时区 (unknown time zone)')
    .optional(),
  /** Weekly hours; days 1 = Monday … 7 = Sunday. */
  weekly: z.array(z.object({ days: z.array(z.number().int().min(1).max(7)).min(1), ranges: z.array(timeRange).min(1) })).max(14).default([]),
  /** 节假日: closed all day, from … to inclusive. */
  holidays: z.array(z.object({ from: date, to: date.optional(), name: z.string().max(32).default('') })).max(366).default([]),
  /** 特殊日期: these hours replace the week's and any holiday on that date (empty ranges = closed). */
  specialDays: z.array(z.object({ date, ranges: z.array(timeRange).max(6), name: z.string().max(32).default('') })).max(366).default([]),
});

export const surveyParams = z.object({
  prompt: promptRefSchema,
  errorPrompt: optionalPrompt,
  thanksPrompt: optionalPrompt,
  timeoutSec: seconds(60, 5),
  maxErrors: count(1, 10, 2),
  options: z
    .array(z.object({ key: digit, label: z.string().trim().min(1).max(32) }))
    .min(1, '至少一个选项 (at least one option)')
    .max(12)
    .superRefine(uniqueBy((o) => o.key, '按键')),
  keyVariable: variableName.default('SatisfactionKey'),
  labelVariable: variableName.default('SatisfactionLabel'),
});

export const toExternalParams = z.object({
  /** 外显号码: one of the box's outbound-capable numbers. */
  callerNumber: z.string().trim().regex(PHONE_NUMBER_RE, '外显号码只能是 3–20 位数字 (caller number: 3–20 digits)'),
  callee: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('fixed'), number: phoneNumberOrVar }),
    z.object({ mode: z.literal('callback'), url: httpUrl, timeoutSec: seconds(30, 3), fallbackNumber: phoneNumberOrVar.optional() }),
  ]),
  connectingPrompt: optionalPrompt,
  ringTimeoutSec: seconds(120, 30),
});

export const collectParams = z
  .object({
    prompt: promptRefSchema,
    timeoutPrompt: optionalPrompt,
    failPrompt: optionalPrompt,
    maxErrors: count(1, 10, 3),
    timeoutSec: seconds(60, 5),
    interDigitTimeoutSec: seconds(30, 3),
    variable: variableName,
    maxDigits: count(1, 32, 11),
    minDigits: count(1, 32, 1),
    /** hash: up to maxDigits, ended by #; fixed: exactly maxDigits. */
    endMode: z.enum(['hash', 'fixed']).default('hash'),
  })
  .superRefine((p, ctx) => {
    if (p.minDigits > p.maxDigits) ctx.addIssue({ code: 'custom', message: '最少位数不能大于最多位数 (min digits > max digits)', path: ['minDigits'] });
  });

export const httpParams = z.object({
  url: httpUrl,
  inputs: z.array(z.object({ name: z.string().trim().min(1).max(64), value: z.string().max(1000) })).max(50).default([]).superRefine(uniqueBy((i) => i.name, '字段')),
  outputs: z
    .array(z.object({ variable: variableName, field: z.string().trim().min(1).max(128), default: z.string().max(1000).default('') }))
    .max(50)
    .default([])
    .superRefine(uniqueBy((o) => o.variable, '变量')),
  timeoutSec: seconds(30, 3),
  /** Tries before giving up and continuing with the defaults. */
  maxErrors: count(1, 5, 2),
});

export const CONDITION_OPS = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export const conditionParams = z.object({
  branches: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, '分支 ID: 1–20 位字母数字 (branch id: 1–20 letters/digits)'),
        label: z.string().max(32).default(''),
        /** All must hold. */
        conditions: z
          .array(z.object({ left: z.string().max(1000), op: z.enum(CONDITION_OPS), right: z.string().max(1000), compare: z.enum(['number', 'text']).default('text') }))
          .min(1, '至少一个条件 (at least one condition)')
          .max(20),
      }),
    )
    .min(1, '至少一个分支 (at least one branch)')
    .max(20)
    .superRefine(uniqueBy((b) => b.id, '分支')),
});

export const toExtensionParams = z.object({
  prompt: promptRefSchema,
  timeoutPrompt: optionalPrompt,
  errorPrompt: optionalPrompt,
  maxErrors: count(1, 10, 3),
  timeoutSec: seconds(60, 5),
  interDigitTimeoutSec: seconds(30, 3),
  extensionLength: count(3, 8, 4),
  ringTimeoutSec: seconds(120, 30),
});

export const voicemailParams = z.object({
  prompt: optionalPrompt,
  beep: z.boolean().default(true),
  maxSeconds: count(5, 600, 60),
  endPrompt: optionalPrompt,
});

export const endParams = z.object({ prompt: optionalPrompt });

/** An entry of a dynamic menu's JSON list. */
export const dynamicBranchSchema = z.object({
  digits: z.string().regex(/^[0-9*#]{1,8}$/),
  name: z.string().max(64).default(''),
  label: z.string().max(64).default(''),
  next: nodeIdSchema,
});
export type DynamicBranch = z.infer<typeof dynamicBranchSchema>;

export type StartParams = z.infer<typeof startParams>;
export type PlayParams = z.infer<typeof playParams>;
export type MenuParams = z.infer<typeof menuParams>;
export type SpeechMenuParams = z.infer<typeof speechMenuParams>;
export type ToAgentParams = z.infer<typeof toAgentParams>;
export type HoursParams = z.infer<typeof hoursParams>;
export type SurveyParams = z.infer<typeof surveyParams>;
export type ToExternalParams = z.infer<typeof toExternalParams>;
export type CollectParams = z.infer<typeof collectParams>;
export type HttpParams = z.infer<typeof httpParams>;
export type ConditionParams = z.infer<typeof conditionParams>;
export type ToExtensionParams = z.infer<typeof toExtensionParams>;
export type VoicemailParams = z.infer<typeof voicemailParams>;
export type EndParams = z.infer<typeof endParams>;
