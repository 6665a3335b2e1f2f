// Public face of the B2BUA: the hook-installed B2bua, its inbound (UAS) and outbound (UAC) legs, causes.
export type * from './b2bua-types.ts';
export { DEFAULT_B2BUA_SETTINGS } from './b2bua-types.ts';
export { B2bua, userOf, type B2buaOptions, type IncomingCall } from './b2bua.ts';
export { InboundLeg } from './inbound-leg.ts';
export { OutboundLeg } from './outbound-leg.ts';
export { DialogLeg, infoDigit, sdpOf } from './dialog-leg.ts';
export { SessionTimerRunner } from './session-timer-runner.ts';
export {
  CAUSE_LABEL, LOCAL_CAUSES, causeOfBye, causeOfResponse, reasonHeader, statusForCaller, type CauseCategory, type EndCause,
} from './causes.ts';
