// Field rules for agents, shared by the HTTP routes and the batch import so both say the same thing.
import { z } from 'zod';

export const staffNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, '工号只能包含字母、数字、- 和 _，最长 32 位 (staff number: letters, digits, - and _, up to 32)');
export const email = z.string().trim().toLowerCase().max(254).email('邮箱格式不正确 (not a valid e-mail address)');
export const personName = z.string().trim().min(1, '不能为空 (required)').max(64, '最长 64 个字符 (at most 64 characters)');
export const mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{5,20}$/, '手机号格式不正确 (not a valid phone number)');

export const newAgentSchema = z.object({
  name: personName,
  nickname: personName,
  staffNo,
  email,
  roleId: z.number().int().positive(),
  mobile: mobile.nullable().optional(),
  skillGroupIds: z.array(z.number().int().positive()).max(100).optional(),
});

export const agentPatchSchema = z
  .object({
    name: personName,
    nickname: personName,
    roleId: z.number().int().positive(),
    mobile: mobile.nullable(),
    skillGroupIds: z.array(z.number().int().positive()).max(100),
    mobileAnswer: z.object({ enabled: z.boolean(), outbound: z.boolean() }),
  })
  .partial()
  .strict();
