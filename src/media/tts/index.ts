// Public face of media/tts: providers (local espeak-ng, HTTP cloud, Tencent Cloud TextToVoice), the run-time
// choice between them, the cache, ${variable} substitution.
export * from './tts-types.ts';
export { CachedTtsProvider, DEFAULT_TTS_TIMEOUT_MS } from './cached-tts.ts';
export { EspeakTtsProvider } from './espeak-tts.ts';
export { HttpTtsProvider } from './http-tts.ts';
export { TencentTtsProvider, tc3Authorization, TENCENT_TTS_HOST, type TencentTtsConfig, type TencentTtsOptions } from './tencent-tts.ts';
export { SelectableTtsProvider, type SelectableTtsOptions } from './selectable-tts.ts';
export { substituteVariables, type Substitution } from './variables.ts';
export { convertToG711 } from './g711-convert.ts';
