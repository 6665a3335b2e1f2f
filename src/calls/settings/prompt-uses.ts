// Where 通话设置 use a prompt file of the IVR's library (放音文件): the prompt users the call side registers with
// the library at composition time, so a file in use cannot be deleted and the 409 says where it is used.
import { promptIdsIn } from '../../ivr/index.ts';
import type { CallSettings } from './call-settings.ts';
import type { CallPrompt, SurveySettings } from './settings-types.ts';

const uses = (p: CallPrompt | null | undefined, id: string): boolean => !!p && promptIdsIn(p).has(id);
const surveyUses = (s: SurveySettings, id: string): boolean => uses(s.prompt, id) || uses(s.thanksPrompt, id);

/**
 * The places of the call settings that refer to `promptId`, as the console names them. Stored references
 * count whether or not the setting is switched on: turning it on later must not find the file gone.
 */
export async function promptUses(settings: CallSettings, promptId: string): Promise<string[]> {
  const out: string[] = [];
  const [general, hold, outbound, numbers, templates] = await Promise.all([
    settings.get('general'), settings.get('holdMusic'), settings.get('outbound'), settings.numbers(), settings.digitTemplates(),
  ]);
  if (uses(general.blacklistPrompt, promptId)) out.push('通话设置-黑名单提示音');
  if (uses(hold.prompt, promptId)) out.push('通话设置-通话保持放音');
  if (uses(outbound.noAnswerPrompt, promptId)) out.push('通话设置-外呼未接通提示');
  if (uses(outbound.customerHangupPrompt, promptId)) out.push('通话设置-客户挂机提示');
  for (const n of numbers) {
    if (uses(n.lastAgentRouting.failurePrompt, promptId)) out.push(`号码 ${n.number} 外呼指定分配失败提示`);
    if (surveyUses(n.inboundSurvey, promptId)) out.push(`号码 ${n.number} 呼入评价`);
    if (surveyUses(n.outboundSurvey, promptId)) out.push(`号码 ${n.number} 呼出评价`);
  }
  for (const t of templates) if (uses(t.prompt, promptId)) out.push(`收号设置「${t.name}」`);
  return out;
}
