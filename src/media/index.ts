// Public face of the media part for src/calls, src/ivr and the box: the MediaCore interface
// and startMedia, prompts/TTS, and the DTMF and codec types they pass around.
export type {
  MediaCore, MediaCoreEvents, CallMedia, CallMediaEvents, CallDtmfEvent, MediaLeg, LegConsumer, LegKind, LegRole,
  PromptSource, MediaPlayOptions, MediaPlayResult, SipLegRequest, SipLegResult, SdpUpdateResult, RecordingOptions,
  RecordingInfo, SupervisionTargets, SupervisionMode, MediaFailureCause, TtsVoice,
} from './core/index.ts';
export { startMedia, MediaWorkerPool, ROUTER_MEDIA_CODECS, type MediaCoreService } from './core/index.ts';
export { substituteVariables, EspeakTtsProvider, HttpTtsProvider, type TtsProvider, type TtsResult } from './tts/index.ts';
export type { G711Law } from './codec/index.ts';
export type { DtmfDigit, DtmfEvent, DtmfSource } from './dtmf/index.ts';
