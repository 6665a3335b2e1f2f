// Public face of ivr/speech: ASR providers (local pocketsphinx, Tencent Cloud real-time ASR), the listener
// that turns a call's audio into a speech menu's keyword, and the speech settings and service.
export * from './speech-types.ts';
export { PocketsphinxProvider, upsample8kTo16k, POCKETSPHINX_MODEL_DIR, type PocketsphinxOptions } from './pocketsphinx.ts';
export { SpeechListener, matchKeyword, normalizeSpeech, type ListenerOptions } from './listener.ts';
export { SpeechSettings, speechSettingsInput, type SpeechSettingsInput } from './speech-settings.ts';
export { SpeechService, languageOf, type ListenHandle, type SpeechRecognizer, type PreviewTts, type SpeechServiceEvents, type SpeechServiceOptions } from './speech-service.ts';
export { TencentAsrProvider, tencentAsrSignature, tencentAsrPath, tencentHotWordList, TENCENT_ASR_HOST, MAX_TEMP_HOT_WORDS, type TencentAsrOptions } from './tencent-asr.ts';
export { WsClient, encodeClientFrame, type WsConnectOptions } from './ws-client.ts';
