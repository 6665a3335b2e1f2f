// Client of 通话设置 (/call-settings/…, docs/api-v1.md › Call settings), 呼入接听设置 (/acd/settings) and the
// skill groups' 外显号码 (/calls/outbound-numbers).
import { http, type Page } from '../../api';

export type Prompt = { kind: 'tts'; text: string; voice?: string } | { kind: 'file'; promptId: string };

export interface GeneralSettings { blacklistPrompt: Prompt | null }
export interface HoldMusic { mode: 'none' | 'default' | 'custom'; prompt: Prompt | null }
export interface OutboundSettings {
  callerIdRule: 'group' | 'region'; allowAgentChoice: boolean; allowInternational: boolean;
  noAnswerPrompt: Prompt | null; customerHangupPrompt: Prompt | null;
}
export interface Survey {
  enabled: boolean; prompt: Prompt; options: { key: string; label: string }[]; thanksPrompt: Prompt | null; timeoutSec: number; maxErrors: number;
}
export interface NumberSettings {
  number: string;
  lastAgentRouting: { mode: 'off' | 'only' | 'first'; failurePrompt: Prompt | null };
  inboundSurvey: Survey;
  outboundSurvey: Survey;
}
export interface BlacklistEntry { id: number; number: string; remark: string; expiresAt: number | null; createdAt: number; createdBy: { id: number; name: string } | null }
export interface DigitTemplate {
  id: number; name: string; prompt: Prompt; minDigits: number; maxDigits: number; terminator: '#' | '*' | null; timeoutSec: number;
  callbackUrl: string; enabled: boolean; createdAt: number; updatedAt: number;
}
export type DigitTemplateInput = Omit<DigitTemplate, 'id' | 'createdAt' | 'updatedAt'>;
export interface SelfService { id: number; name: string; flowId: number; flowName: string; version: string; enabled: boolean; createdAt: number; updatedAt: number }

export type QueueAction = { action: 'overflow'; skillGroupId: number } | { action: 'voicemail' } | { action: 'hangup'; prompt: string | null };
export type Distribution = 'sequential' | 'groupPriority' | 'longestIdle' | 'fewestCalls';
export interface AcdSettings {
  answer: { autoAnswer: boolean; ringTimeout: { enabled: boolean; seconds: number }; afterCallIdle: { enabled: boolean; seconds: number }; breakAfterRingTimeout: boolean };
  routing: { distribution: Distribution; lastAgentFirst: boolean };
  queue: {
    maxWaitSec: number; announce: { intervalSec: number; position: boolean; estimatedWait: boolean };
    noAgentAction: QueueAction; maxWaitAction: QueueAction; callback: { enabled: boolean; maxAttempts: number };
  };
}
export interface AcdSettingsView { global: AcdSettings; groups: { skillGroupId: number; name: string; settings: AcdSettings | null }[] }

const enc = encodeURIComponent;

export const csApi = {
  general: () => http.get<GeneralSettings>('/call-settings/general'),
  putGeneral: (s: GeneralSettings) => http.put<GeneralSettings>('/call-settings/general', s),
  holdMusic: () => http.get<HoldMusic>('/call-settings/hold-music'),
  putHoldMusic: (s: HoldMusic) => http.put<HoldMusic>('/call-settings/hold-music', s),
  outbound: () => http.get<OutboundSettings>('/call-settings/outbound'),
  putOutbound: (s: OutboundSettings) => http.put<OutboundSettings>('/call-settings/outbound', s),
  numbers: () => http.get<NumberSettings[]>('/call-settings/numbers'),
  putNumber: (n: NumberSettings) => {
    const { number, ...rest } = n;
    return http.put<NumberSettings>(`/call-settings/numbers/${enc(number)}`, rest);
  },
  blacklist: (q: { number?: string; page: number; pageSize: number }) => http.get<Page<BlacklistEntry>>(`/call-settings/blacklist${http.qs(q)}`),
  addBlacklist: (b: { number: string; remark?: string; expiresAt?: number | null }) => http.post<BlacklistEntry>('/call-settings/blacklist', b),
  removeBlacklist: (id: number) => http.del(`/call-settings/blacklist/${id}`),
  digitTemplates: () => http.get<DigitTemplate[]>('/call-settings/digit-collection'),
  createDigitTemplate: (t: DigitTemplateInput) => http.post<DigitTemplate>('/call-settings/digit-collection', t),
  updateDigitTemplate: (id: number, t: Partial<DigitTemplateInput>) => http.patch<DigitTemplate>(`/call-settings/digit-collection/${id}`, t),
  deleteDigitTemplate: (id: number) => http.del(`/call-settings/digit-collection/${id}`),
  selfServices: () => http.get<SelfService[]>('/call-settings/self-service'),
  createSelfService: (s: { name: string; flowId: number; version: string; enabled: boolean }) => http.post<SelfService>('/call-settings/self-service', s),
  updateSelfService: (id: number, s: Partial<{ name: string; flowId: number; version: string; enabled: boolean }>) => http.patch<SelfService>(`/call-settings/self-service/${id}`, s),
  deleteSelfService: (id: number) => http.del(`/call-settings/self-service/${id}`),
  acdSettings: () => http.get<AcdSettingsView>('/acd/settings'),
  putAcdSettings: (skillGroupId: number | null, settings: AcdSettings | null) => http.put<AcdSettingsView>('/acd/settings', { skillGroupId, settings }),
  outboundNumbers: () => http.get<{ skillGroupId: number; numbers: string[] }[]>('/calls/outbound-numbers'),
  putOutboundNumbers: (skillGroupId: number, numbers: string[]) => http.put<{ skillGroupId: number; numbers: string[] }>(`/calls/outbound-numbers/${skillGroupId}`, { numbers }),
};
