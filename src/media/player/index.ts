// Public face of media/player: the prompt player and its drift-free frame clock.
export * from './player-types.ts';
export { PromptPlayer } from './prompt-player.ts';
export { FrameClock, type SlotHandler } from './frame-clock.ts';
export { framesFromG711, silenceFrames } from './frames.ts';
