// Public face of media/core: the worker pool, the MediaCore / CallMedia interface and its types.
export * from './media-types.ts';
export { MediaWorkerPool, ROUTER_MEDIA_CODECS, DEFAULT_RTC_PORT_RANGE } from './worker-pool.ts';
export { withDeadline, DEFAULT_MEDIA_REQUEST_TIMEOUT_MS } from './deadline.ts';
export { MediaCoreService, type MediaCoreDeps } from './media-core.ts';
export { CallMediaSession, type CallMediaSettings } from './call-media.ts';
export { SipLeg } from './sip-leg.ts';
export { PromptLoader, type LoadedPrompt } from './prompt-loader.ts';
export {
  SdpOrigin, answerOffer, buildLegOffer, readAnswer, negotiatedLaw, parseSdpOrThrow, DEFAULT_TELEPHONE_EVENT_PT,
  type LocalMediaSpec, type PeerMedia,
} from './media-sdp.ts';
export { startMedia, checkMediaPorts, defaultAnnouncedAddress } from './start-media.ts';
