// Public face of the SIP defences: the admission gate, bans, scanner filter.
export * from './defence-types.ts';
export { SipDefence, type DefenceOptions, type GateInput } from './sip-defence.ts';
export { BanList, banKey } from './ban-list.ts';
export { SlidingWindow } from './sliding-window.ts';
export { isScannerUserAgent } from './scanners.ts';
