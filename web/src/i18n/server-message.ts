// The server writes messages as "中文 (English)"; show only the half in the UI's language.
import type { Lang } from './index';

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const LATIN = /[A-Za-z]/;

/**
 * Picks the language half of a bilingual message. The English half is the last " (…)" group that
 * has Latin letters and no Chinese, with Chinese before it and none after it (so a name like
 * "售前 (VIP)" inside the Chinese half is left alone). Messages of one language pass through.
 */
export function localizeServerMessage(message: string, lang: Lang): string {
  for (const m of message.matchAll(/ \(([^()]*)\)/g)) {
    const start = m.index ?? 0;
    const before = message.slice(0, start);
    const inner = m[1] ?? '';
    const after = message.slice(start + m[0].length);
    if (!CJK.test(before) || CJK.test(inner) || !LATIN.test(inner) || CJK.test(after)) continue;
    // A leading "field: " written before the Chinese belongs to both halves.
    const lead = /^[^\u3400-\u9fff]*?: /.exec(before)?.[0] ?? '';
    return lang === 'en' ? `${lead}${inner}${after}` : `${before}${after}`;
  }
  return message;
}
