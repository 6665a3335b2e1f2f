// `${variables}`: the system variables every call has, flow variables, and substitution in spoken text.

/** Set by the call (calls/ACD) — always defined, never assigned by a flow. */
export const SYSTEM_VARIABLES = [
  { name: 'WaitNo', zh: '排队号（当前排队位置）', en: 'position in the queue' },
  { name: 'StaffNo', zh: '接待客服工号', en: 'staff number of the agent' },
  { name: 'SystemCallerNumber', zh: '主叫号码', en: 'caller number' },
  { name: 'SystemCalleeNumber', zh: '被叫号码', en: 'called number' },
  { name: 'SystemSessionId', zh: '会话 ID', en: 'session ID' },
  { name: 'SystemCallRingDuration', zh: '振铃时长（秒）', en: 'ring duration (s)' },
  { name: 'SystemCallAcceptDuration', zh: '通话时长（秒）', en: 'talk duration (s)' },
] as const;

export type SystemVariable = (typeof SYSTEM_VARIABLES)[number]['name'];
export const SYSTEM_VARIABLE_NAMES: ReadonlySet<string> = new Set(SYSTEM_VARIABLES.map((v) => v.name));

export const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const VARIABLE_NAME_MSG = '变量名只能包含字母、数字和下划线，且不能以数字开头 (variable names: letters, digits and _, not starting with a digit)';

const REF_RE = /\$\{([^}]*)\}/g;

/** Names referenced as `${name}` in a text, in order of appearance (duplicates kept once). */
export function referencedVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(REF_RE)) {
    const name = m[1]!.trim();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Replaces every `${name}` by its value; an unknown name becomes the empty string. */
export function substitute(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(REF_RE, (_, name: string) => lookup(name.trim()) ?? '');
}

/** Every `${name}` found in any string inside a JSON-like value. */
export function variablesIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') for (const n of referencedVariables(value)) out.add(n);
  else if (Array.isArray(value)) for (const v of value) variablesIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) variablesIn(v, out);
  return out;
}
