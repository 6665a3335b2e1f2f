// Public face of the IVR: the service (flows, versions, bindings, snapshots, prompts, hot words,
// simulator), the runtime entry point and CallControl interface for `calls`, the demo seed.
export { IvrService, flowValidationError, type IvrServiceOptions, type NewFlowInput } from './ivr-service.ts';
export * from './flow/index.ts';
export * from './runtime/index.ts';
export { Simulator, type SimulationInput, type SimulationStart, type SimulationView } from './runtime/simulator.ts';
export { FlowStore, MAIN } from './store/flow-store.ts';
export { HotWordLists, hotWordListInput, hotWordSchema, parseHotWordFile, MAX_HOT_WORDS, MAX_HOT_WORD_IMPORT_BYTES, type HotWordListInput } from './store/hot-words.ts';
export { PromptLibrary, PROMPT_NAME_RE, PROMPT_NAME_MSG, type PromptUsers } from './store/prompt-library.ts';
export type * from './store/store-types.ts';
export { FfmpegPromptStore, detectAudioFormat, MAX_PROMPT_BYTES, type PromptStore, type AudioFormat } from './prompts/prompt-store.ts';
export { seedDemoIvr, demoFlow, DEMO_IVR, DEMO_NODE_IDS } from './demo-seed.ts';
