// Public face of device feature key synchronisation (as-feature-event): the notifier and its body codec.
export { FeatureSyncServer, DEFAULT_FEATURE_SYNC, type DndKeeper, type FeatureSyncOptions, type FeatureSyncSettings } from './feature-sync.ts';
export { doNotDisturbEvent, parseFeatureRequest, FEATURE_EVENT, FEATURE_EVENT_TYPE, type FeatureRequest } from './feature-event-body.ts';
