// Public face of ivr/speech: ASR providers (local pocketsphinx, Tencent Cloud real-time ASR), the listener
// that turns a call's audio into a speech menu's keyword, and the speech settings and service.
export * from './speech-types.ts';
export { PocketsphinxProvider, upsample8kTo16k, POCKETSPHINX_MODEL_DIR, type PocketsphinxOptions } from './pocketsphinx.ts';
export { SpeechListener, matchKeyword, normalizeSpeech, type ListenerOptions } from './listener.ts';
