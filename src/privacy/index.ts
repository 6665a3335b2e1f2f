// Public face of privacy: 号码隐私保护 (masks and user-ID mapping) for numbers that leave the box toward agents.
export { NumberPrivacy, isProtectedActor, type NumberPrivacyOptions } from './number-privacy.ts';
export { maskNumber, isMasked, toMappingFormat, fromMappingFormat } from './number-format.ts';
export { MappingClient, type MappingMode } from './mapping-client.ts';
export { privacyInputSchema, type PrivacyInput, type PrivacyMode, type PrivacyView, type MappingEndpoint, type EndpointAuth } from './privacy-types.ts';
export { protectRecord, protectRecords, protectRecordStream } from './record-privacy.ts';
