// Calls of the IVR API (电话呼入 IVR 管理): flows, versions, number bindings, prompts and TTS preview, hot words,
// the simulator. Its types are in api-ivr-types.ts.

import { ApiError, http } from './api';
import type { FlowCreate, FlowDefinition, FlowValidation, FlowVersionView, HotWord, HotWordList, IvrBinding, IvrCatalog, IvrFlow, IvrPrompt, SimStart, SimStep, Simulation } from './api-ivr-types';

const { get, post, patch, put, del, qs, request, upload } = http;
const BASE = http.base;

export const ivrApi = {
  ivrCatalog: () => get<IvrCatalog>('/ivr/catalog'),
  ivrFlows: () => get<IvrFlow[]>('/ivr/flows'),
  ivrFlow: (id: number) => get<IvrFlow>(`/ivr/flows/${id}`),
  createIvrFlow: (f: FlowCreate) => post<IvrFlow>('/ivr/flows', f),
  updateIvrFlow: (id: number, p: { name?: string; description?: string }) => patch<IvrFlow>(`/ivr/flows/${id}`, p),
  deleteIvrFlow: (id: number) => del(`/ivr/flows/${id}`),
  validateIvrFlow: (id: number, definition: FlowDefinition) =>
    post<FlowValidation>(`/ivr/flows/${id}/validate`, { definition }),
  ivrVersion: (id: number, version: string) => get<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`),
  saveIvrVersion: (id: number, version: string, definition: FlowDefinition, note?: string) =>
    put<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`, note === undefined ? { definition } : { definition, note }),
  createIvrVersion: (id: number, from: string, note: string) => post<FlowVersionView>(`/ivr/flows/${id}/versions`, { from, note }),
  deleteIvrVersion: (id: number, version: string) => del(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}`),
  publishIvrVersion: (id: number, version: string) =>
    post<FlowVersionView>(`/ivr/flows/${id}/versions/${encodeURIComponent(version)}/publish`),

  ivrBindings: () => get<IvrBinding[]>('/ivr/bindings'),
  bindIvrNumber: (number: string, flowId: number, version: string) =>
    put<IvrBinding>(`/ivr/bindings/${encodeURIComponent(number)}`, { flowId, version }),
  unbindIvrNumber: (number: string) => del(`/ivr/bindings/${encodeURIComponent(number)}`),

  ivrPrompts: () => get<IvrPrompt[]>('/ivr/prompts'),
  promptAudioUrl: (id: string) => `${BASE}/ivr/prompts/${encodeURIComponent(id)}/audio`,
  /** 点击试听: the TTS text rendered on the box, as a WAV blob. */
  ttsPreview: async (text: string, voice: 'cmn' | 'en'): Promise<Blob> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav, application/json' };
    const csrfToken = http.csrf();
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    const res = await fetch(`${BASE}/ivr/tts/preview`, { method: 'POST', headers, body: JSON.stringify({ text, voice }), credentials: 'same-origin' });
    if (!res.ok) {
      const err = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
      throw new ApiError(res.status, err?.code ?? 'HTTP', err?.message ?? res.statusText, err?.field);
    }
    return res.blob();
  },
  renameIvrPrompt: (id: string, name: string) => patch<IvrPrompt>(`/ivr/prompts/${encodeURIComponent(id)}`, { name }),
  deleteIvrPrompt: (id: string) => del(`/ivr/prompts/${encodeURIComponent(id)}`),
  uploadIvrPrompt: (file: File, name: string, onProgress: (fraction: number) => void) =>
    upload<IvrPrompt>(`/ivr/prompts${qs({ name, fileName: file.name })}`, file,
      /\.mp3$/i.test(file.name) ? 'audio/mpeg' : 'audio/wav', onProgress),

  hotWordLists: () => get<HotWordList[]>('/ivr/hot-words'),
  createHotWordList: (l: { name: string; words: HotWord[] }) => post<HotWordList>('/ivr/hot-words', l),
  updateHotWordList: (id: number, l: { name?: string; words?: HotWord[] }) => patch<HotWordList>(`/ivr/hot-words/${id}`, l),
  deleteHotWordList: (id: number) => del(`/ivr/hot-words/${id}`),
  deleteHotWordLists: (ids: number[]) => post<void>('/ivr/hot-words/batch-delete', { ids }),
  hotWordExportUrl: (id: number) => `${BASE}/ivr/hot-words/${id}/export`,
  importHotWords: (id: number, file: File) =>
    request<HotWordList>('PUT', `/ivr/hot-words/${id}/import`, { raw: file, contentType: 'text/plain' }),

  simulate: (flowId: number, s: SimStart) => post<Simulation>(`/ivr/flows/${flowId}/simulate`, s),
  simStep: (flowId: number, sessionId: string, step: SimStep) =>
    post<Simulation>(`/ivr/flows/${flowId}/simulate/${sessionId}`, step),
  simEnd: (flowId: number, sessionId: string) => del(`/ivr/flows/${flowId}/simulate/${sessionId}`),
};
