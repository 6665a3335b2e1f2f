// What the canvas knows about the flow model of docs/api-v1.md: node IDs, each module's outlets (from its
// params, as the server computes them), the parameters a new node starts with, and small path helpers.
import type { FlowKind, FlowNode, NodeType } from '../../api-ivr-types';
import type { MessageKey, TFunction } from '../../i18n';

export const NODE_TYPES: NodeType[] = [
  'start', 'play', 'menu', 'speechMenu', 'toAgent', 'hours', 'survey', 'toExternal',
  'collect', 'http', 'condition', 'toExtension', 'voicemail', 'end',
];
export const INBOUND_ONLY: NodeType[] = ['toAgent', 'toExternal', 'toExtension', 'voicemail'];
export const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export const allowedIn = (type: NodeType, kind: FlowKind): boolean => kind === 'inbound' || !INBOUND_ONLY.includes(type);

/** Module names as the manual writes them (used when the catalog has not loaded). */
export const typeKey = (type: NodeType): MessageKey => `ivr.type.${type}` as MessageKey;

/** A colour per module family, for the node header and the palette. */
export const TYPE_COLOR: Record<NodeType, string> = {
  start: '#1f8f5f', end: '#5b6575',
  play: '#2f6bd8', menu: '#7a4cd9', speechMenu: '#7a4cd9', collect: '#7a4cd9', survey: '#c26a12',
  toAgent: '#d14343', toExternal: '#d14343', toExtension: '#d14343', voicemail: '#c26a12',
  hours: '#0f8a9d', condition: '#0f8a9d', http: '#0f8a9d',
};

// ---- node IDs: a ULID, like the manual's 26-character IDs ----
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const NODE_ID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function newNodeId(now = Date.now()): string {
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[rnd[i]! % 32];
  return time + rand;
}

// ---- outlets ----
export interface Outlet {
  name: string;
  label: string;
  /** an unwired outlet hangs up (true) or must be wired (false) */
  optional: boolean;
}

type P = Record<string, unknown>;
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export function outletsOf(node: Pick<FlowNode, 'type' | 'params'>, t: TFunction): Outlet[] {
  const p = node.params as P;
  const o = (name: string, key: MessageKey, optional = false): Outlet => ({ name, label: t(key), optional });
  switch (node.type) {
    case 'start': case 'play': case 'survey': case 'http':
      return [o('next', 'ivr.outlet.next')];
    case 'menu':
      return [
        ...arr<{ key: string; label?: string }>(p.keys).map((k) => ({
          name: `key:${k.key}`, label: `${t('ivr.outlet.key', { key: k.key })}${k.label ? ` ${k.label}` : ''}`, optional: false,
        })),
        ...(p.dynamicVariable ? [o('noBranch', 'ivr.outlet.noBranch', true)] : []),
      ];
    case 'speechMenu':
      return [
        ...arr<{ key: string; label?: string }>(p.branches).map((b) => ({
          name: `key:${b.key}`, label: `${t('ivr.outlet.branch', { key: b.key })}${b.label ? ` ${b.label}` : ''}`, optional: false,
        })),
        ...(p.defaultKey ? [] : [o('fallthrough', 'ivr.outlet.fallthrough')]),
      ];
    case 'toAgent':
      return [o('done', 'ivr.outlet.agentDone', true), o('failed', 'ivr.outlet.agentFailed', true)];
    case 'hours':
      return [o('open', 'ivr.outlet.open'), o('closed', 'ivr.outlet.closed')];
    case 'toExternal':
      return [o('done', 'ivr.outlet.callDone', true), o('failed', 'ivr.outlet.callFailed', true)];
    case 'collect':
      return [o('next', 'ivr.outlet.collected'), o('failed', 'ivr.outlet.collectFailed', true)];
    case 'condition':
      return [
        ...arr<{ id: string; label?: string }>(p.branches).map((b) => ({ name: `branch:${b.id}`, label: b.label || b.id, optional: false })),
        o('default', 'ivr.outlet.default'),
      ];
    case 'toExtension':
      return [o('done', 'ivr.outlet.callDone', true), o('failed', 'ivr.outlet.extFailed', true)];
    case 'voicemail':
      return [o('next', 'ivr.outlet.afterVoicemail', true)];
    case 'end':
      return [];
  }
}

// ---- a new node's parameters (the server fills in the remaining defaults on save) ----
const tts = (text: string) => ({ kind: 'tts', text });

export function initialParams(type: NodeType, t: TFunction): P {
  switch (type) {
    case 'start': return {};
    case 'play': return { prompt: tts(t('ivr.init.play')), interruptible: false, playCount: 1 };
    case 'menu': return { prompt: tts(t('ivr.init.menu')), maxErrors: 3, timeoutSec: 5, interDigitTimeoutSec: 3, keys: [{ key: '1', label: '' }] };
    case 'speechMenu': return { prompt: tts(t('ivr.init.speech')), maxRetries: 3, timeoutSec: 5, branches: [{ key: '1', label: '', keywords: [t('ivr.init.keyword')] }] };
    case 'toAgent': return { mode: 'skillGroup', priority: 3, maxWaitSec: 300, sdkAppId: '', callbackTimeoutSec: 3, callbackMaxErrors: 2 };
    case 'hours': return { weekly: [{ days: [1, 2, 3, 4, 5], ranges: [{ from: '09:00', to: '18:00' }] }], holidays: [], specialDays: [] };
    case 'survey': return {
      prompt: tts(t('ivr.init.survey')), timeoutSec: 5, maxErrors: 2,
      options: [{ key: '1', label: t('ivr.init.satisfied') }, { key: '2', label: t('ivr.init.neutral') }, { key: '3', label: t('ivr.init.unsatisfied') }],
      keyVariable: 'SatisfactionKey', labelVariable: 'SatisfactionLabel',
    };
    case 'toExternal': return { callerNumber: '', callee: { mode: 'fixed', number: '' }, ringTimeoutSec: 30 };
    case 'collect': return { prompt: tts(t('ivr.init.collect')), maxErrors: 3, timeoutSec: 5, interDigitTimeoutSec: 3, variable: 'Digits', maxDigits: 11, minDigits: 1, endMode: 'hash' };
    case 'http': return { url: 'https://', inputs: [], outputs: [], timeoutSec: 3, maxErrors: 2 };
    case 'condition': return { branches: [{ id: 'b1', label: '', conditions: [{ left: '${SystemCallerNumber}', op: 'eq', right: '', compare: 'text' }] }] };
    case 'toExtension': return { prompt: tts(t('ivr.init.extension')), maxErrors: 3, timeoutSec: 5, interDigitTimeoutSec: 3, extensionLength: 4, ringTimeoutSec: 30 };
    case 'voicemail': return { prompt: tts(t('ivr.init.voicemail')), beep: true, maxSeconds: 60 };
    case 'end': return {};
  }
}

// ---- immutable updates by path ----
export type Path = (string | number)[];

export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** A copy of `obj` with `value` at `path`; `undefined` removes the key (an array element is spliced out). */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [k, ...rest] = path;
  const base: unknown = obj ?? (typeof k === 'number' ? [] : {});
  if (Array.isArray(base)) {
    const copy = [...base];
    const i = k as number;
    if (rest.length === 0 && value === undefined) copy.splice(i, 1);
    else copy[i] = setIn(copy[i], rest, value);
    return copy as T;
  }
  const copy = { ...(base as Record<string, unknown>) };
  if (rest.length === 0 && value === undefined) delete copy[k as string];
  else copy[k as string] = setIn(copy[k as string], rest, value);
  return copy as T;
}

/** The outlets to save: only the module's current ones, unwired ones dropped. */
export function cleanOutlets(node: FlowNode, t: TFunction): Record<string, string> {
  const names = new Set(outletsOf(node, t).map((o) => o.name));
  return Object.fromEntries(Object.entries(node.outlets).filter(([n, target]) => names.has(n) && !!target)) as Record<string, string>;
}

/** Server field names: `definition.nodes.<id>.<field>` (save) or `<id>.<field>` (rows) → node and field. */
export function splitIssueField(field: string): { nodeId: string | null; field: string } {
  const f = field.replace(/^definition\.(nodes\.)?/, '');
  const m = /^([0-9A-HJKMNP-TV-Z]{26})\.?(.*)$/.exec(f);
  return m ? { nodeId: m[1]!, field: m[2]! } : { nodeId: null, field: f };
}
