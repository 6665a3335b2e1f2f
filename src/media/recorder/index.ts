// Public face of media/recorder: stereo/mono WAV call recorder and crash repair.
export * from './recorder-types.ts';
export { WavRecorder, PART_SUFFIX } from './wav-recorder.ts';
export { RecordingTimeline } from './timeline.ts';
export { repairWav, repairPartFiles } from './wav-repair.ts';
