// 满意度评价 of 呼入/呼出评价配置: the prompt, one key, its label on the record — or {null, null} when the customer
// gave no valid key after the allowed tries (the record still shows a survey was offered).
import { CallerHangupError } from '../ivr/index.ts';
import type { CallNotes } from './call-notes.ts';
import type { LiveCallControl } from './ivr-call-control.ts';
import type { SurveySettings } from './settings/index.ts';

export async function runSurvey(control: LiveCallControl, s: SurveySettings, notes: CallNotes): Promise<{ key: string | null; label: string | null }> {
  notes.survey = { key: null, label: null };
  try {
    for (let tries = 0; tries < s.maxErrors; tries++) {
      const played = await control.play(s.prompt, { interruptible: true, repeat: 1 });
      let key: string | null = played.interruptedBy ?? null;
      if (!key) {
        const r = await control.collectDigits({ maxDigits: 1, timeoutMs: s.timeoutSec * 1000, interDigitTimeoutMs: s.timeoutSec * 1000 });
        key = r.kind === 'digits' ? r.digits : null;
      }
      const option = s.options.find((o) => o.key === key);
      if (option) {
        notes.survey = { key: option.key, label: option.label };
        if (s.thanksPrompt) await control.play(s.thanksPrompt, { interruptible: false, repeat: 1 });
        break;
      }
    }
  } catch (err) {
    if (!(err instanceof CallerHangupError)) throw err;
  }
  return notes.survey;
}
