// Public face of the call settings (通话设置): the store and the shapes of its API.
export { CallSettings } from './call-settings.ts';
export * from './settings-types.ts';
export { promptUses } from './prompt-uses.ts';
