// Shapes of 通话设置 (docs/api-v1.md › Call settings): zod schemas for the API's input, the stored forms, and
// the defaults a fresh box runs with.
import { z } from 'zod';
import { promptRefSchema } from '../../ivr/index.ts';

/** A prompt of the call settings: TTS text or a 放音文件 of the IVR's library. */
export const callPromptSchema = promptRefSchema;
export type CallPrompt = z.infer<typeof callPromptSchema>;

const number = z.string().trim().regex(/^\+?[0-9]{3,20}$/, '号码为 3–20 位数字，可以 + 开头 (3–20 digits, optionally starting with +)');

export const generalSettingsSchema = z.object({ blacklistPrompt: callPromptSchema.nullable() }).strict();
export type GeneralCallSettings = z.infer<typeof generalSettingsSchema>;

export const holdMusicSchema = z
  .object({ mode: z.enum(['none', 'default', 'custom']), prompt: callPromptSchema.nullable().default(null) })
  .strict()
  .superRefine((v, ctx) => {
    if (v.mode === 'custom' && !v.prompt) ctx.addIssue({ code: 'custom', path: ['prompt'], message: '自定义放音需要放音内容 (custom hold music needs a prompt)' });
  });
export type HoldMusicSettings = z.infer<typeof holdMusicSchema>;

export const outboundSettingsSchema = z
  .object({
    callerIdRule: z.enum(['group', 'region']),
    allowAgentChoice: z.boolean(),
    allowInternational: z.boolean(),
    noAnswerPrompt: callPromptSchema.nullable(),
    customerHangupPrompt: callPromptSchema.nullable(),
  })
  .strict();
export type OutboundCallSettings = z.infer<typeof outboundSettingsSchema>;

export const surveySchema = z
  .object({
    enabled: z.boolean(),
    prompt: callPromptSchema,
    options: z
      .array(z.object({ key: z.string().regex(/^[0-9]$/, '按键为 0–9 (a key 0–9)'), label: z.string().trim().min(1).max(16, '最长 16 个字符 (at most 16 characters)') }).strict())
      .min(1, '至少一个选项 (at least one option)')
      .max(10),
    thanksPrompt: callPromptSchema.nullable(),
    timeoutSec: z.number().int().min(1).max(60),
    maxErrors: z.number().int().min(1).max(3),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.options.forEach((o, i) => {
      if (seen.has(o.key)) ctx.addIssue({ code: 'custom', path: ['options', i, 'key'], message: `按键 ${o.key} 重复 (duplicate key)` });
      seen.add(o.key);
    });
  });
export type SurveySettings = z.infer<typeof surveySchema>;

export const numberSettingsSchema = z
  .object({
    lastAgentRouting: z.object({ mode: z.enum(['off', 'only', 'first']), failurePrompt: callPromptSchema.nullable() }).strict(),
    inboundSurvey: surveySchema,
    outboundSurvey: surveySchema,
  })
  .strict();
export type NumberSettingsInput = z.infer<typeof numberSettingsSchema>;
export type NumberCallSettings = NumberSettingsInput & { number: string };

export const blacklistInputSchema = z
  .object({
    number,
    remark: z.string().trim().max(100, '最长 100 个字符 (at most 100 characters)').optional(),
    expiresAt: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type BlacklistInput = z.infer<typeof blacklistInputSchema>;

export interface BlacklistEntry {
  id: number;
  number: string;
  remark: string;
  expiresAt: number | null;
  createdAt: number;
  createdBy: { id: number; name: string } | null;
}

const templateName = z.string().trim().min(1, '不能为空 (required)').max(32, '最长 32 个字符 (at most 32 characters)');
const callbackUrl = z
  .string()
  .trim()
  .max(500)
  .url('请输入完整的 http(s) 地址 (an absolute http(s) URL)')
  .refine((u) => /^https?:\/\//i.test(u), '只支持 http 或 https 地址 (http or https only)');

const digitTemplateFields = z.object({
  name: templateName,
  prompt: callPromptSchema,
  minDigits: z.number().int().min(1).max(32),
  maxDigits: z.number().int().min(1).max(32),
  terminator: z.enum(['#', '*']).nullable(),
  timeoutSec: z.number().int().min(1).max(120),
  callbackUrl,
  enabled: z.boolean(),
});
const minMax = (v: { minDigits?: number | undefined; maxDigits?: number | undefined }, ctx: z.RefinementCtx): void => {
  if (v.minDigits !== undefined && v.maxDigits !== undefined && v.maxDigits < v.minDigits) {
    ctx.addIssue({ code: 'custom', path: ['maxDigits'], message: '最多位数不能小于最少位数 (maxDigits < minDigits)' });
  }
};
export const digitTemplateInputSchema = digitTemplateFields.extend({ enabled: z.boolean().default(true) }).strict().superRefine(minMax);
export const digitTemplatePatchSchema = digitTemplateFields.partial().strict().superRefine(minMax);
export type DigitTemplateInput = z.infer<typeof digitTemplateInputSchema>;
export type DigitTemplate = z.infer<typeof digitTemplateFields> & { id: number; createdAt: number; updatedAt: number };

export const selfServiceInputSchema = z
  .object({ name: templateName, flowId: z.number().int().positive(), version: z.string().trim().min(1).max(32).default('MAIN'), enabled: z.boolean().default(true) })
  .strict();
export const selfServicePatchSchema = z
  .object({ name: templateName, flowId: z.number().int().positive(), version: z.string().trim().min(1).max(32), enabled: z.boolean() })
  .partial()
  .strict();
export type SelfServiceInput = z.infer<typeof selfServiceInputSchema>;
export interface SelfServiceEntry {
  id: number;
  name: string;
  flowId: number;
  flowName: string;
  version: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_GENERAL: GeneralCallSettings = { blacklistPrompt: { kind: 'tts', text: '您的号码已被限制呼入，再见。' } };
/** The box's own hold notice (通话保持放音 “默认”). */
export const DEFAULT_HOLD_PROMPT: CallPrompt = { kind: 'tts', text: '您的通话已被保持，请稍候。' };
export const DEFAULT_HOLD_MUSIC: HoldMusicSettings = { mode: 'default', prompt: null };
export const DEFAULT_OUTBOUND: OutboundCallSettings = {
  callerIdRule: 'group', allowAgentChoice: true, allowInternational: false, noAnswerPrompt: null, customerHangupPrompt: null,
};
export const DEFAULT_SURVEY: SurveySettings = {
  enabled: false,
  prompt: { kind: 'tts', text: '请对本次服务进行评价，满意请按1，一般请按2，不满意请按3。' },
  options: [{ key: '1', label: '满意' }, { key: '2', label: '一般' }, { key: '3', label: '不满意' }],
  thanksPrompt: { kind: 'tts', text: '感谢您的评价，再见。' },
  timeoutSec: 8,
  maxErrors: 2,
};
export const DEFAULT_NUMBER_SETTINGS: NumberSettingsInput = {
  lastAgentRouting: { mode: 'off', failurePrompt: { kind: 'tts', text: '您要找的客服暂时无法接听，请稍后再拨。' } },
  inboundSurvey: DEFAULT_SURVEY,
  outboundSurvey: DEFAULT_SURVEY,
};
