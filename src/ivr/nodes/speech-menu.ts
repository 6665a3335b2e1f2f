// 语音识别导航: keywords per branch (keys work too), prompts, max retries, then the default key's branch or
// the fall-through outlet. Hot words of the attached list go to the recognizer.
import { keyOutlet, type SpeechMenuParams } from '../flow/index.ts';
import type { Digit, RecognizeResult } from '../runtime/call-control.ts';
import type { NodeContext, NodeResult } from '../runtime/runtime-types.ts';
import { defineNode, promptAndCollect, say, sec } from './node-kit.ts';

async function listen(ctx: NodeContext, p: SpeechMenuParams, prompt: SpeechMenuParams['prompt']): Promise<RecognizeResult> {
  const typed = ctx.takeTypeAhead();
  if (typed) return { kind: 'dtmf', digit: typed[0] as Digit };
  const recognize = ctx.call.recognizeSpeech;
  if (!recognize) {
    // No recognizer for this call: the branches' keys still work.
    const r = await promptAndCollect(ctx, { prompt, maxDigits: 1, timeoutMs: sec(p.timeoutSec), interDigitTimeoutMs: sec(p.timeoutSec) });
    return r.kind === 'digits' && r.digits ? { kind: 'dtmf', digit: r.digits[0] as Digit } : { kind: 'timeout' };
  }
  const played = await ctx.play(prompt, { interruptible: true, repeat: 1 });
  if (played.interruptedBy) return { kind: 'dtmf', digit: played.interruptedBy };
  const hotWords = p.hotWordListId ? [...(ctx.snapshot.hotWords[p.hotWordListId] ?? [])] : [];
  return recognize({ keywords: [...new Set(p.branches.flatMap((b) => b.keywords))], hotWords, timeoutMs: sec(p.timeoutSec) });
}

async function runSpeechMenu(ctx: NodeContext, p: SpeechMenuParams): Promise<NodeResult> {
  let retries = 0;
  for (;;) {
    const r = await listen(ctx, p, p.prompt);
    let key: string | undefined;
    if (r.kind === 'keyword') key = p.branches.find((b) => b.keywords.some((k) => k.toLowerCase() === r.keyword.toLowerCase()))?.key;
    if (r.kind === 'dtmf') {
      key = p.branches.find((b) => b.key === r.digit)?.key;
      ctx.trace.keys(ctx.node.id, r.digit, !!key);
    }
    ctx.trace.event(ctx.node.id, 'speech', { result: r.kind, ...(r.kind === 'keyword' ? { keyword: r.keyword } : {}), ...('text' in r && r.text ? { text: r.text } : {}) });
    if (key) return { outlet: keyOutlet(key) };
    retries++;
    if (retries >= p.maxRetries) return p.defaultKey ? { outlet: keyOutlet(p.defaultKey) } : { outlet: 'fallthrough' };
    await say(ctx, r.kind === 'timeout' ? p.timeoutPrompt : p.nomatchPrompt);
  }
}

export const createSpeechMenuNode = defineNode<SpeechMenuParams>('speechMenu', runSpeechMenu);
