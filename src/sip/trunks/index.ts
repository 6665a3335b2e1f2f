// Public face of the SIP channels (自有号码接入): the store, the running trunks, numbers and their types.
export type * from './trunk-types.ts';
export { CALLS_PER_UNIT, REGISTRATION_LABEL } from './trunk-types.ts';
export { ChannelStore, type ChannelInput, type ChannelPatch, type NumberInput } from './channel-store.ts';
export { Trunks, DEFAULT_TRUNK_SETTINGS, type TrunkSettings, type TrunksOptions } from './trunks.ts';
export { ChannelRuntime, bindingDestination, type ChannelTarget } from './channel-runtime.ts';
export { RegisterClient, refreshDelaySeconds, type RegisterAccount, type RegisterClientOptions } from './register-client.ts';
export { OptionsPinger } from './options-pinger.ts';
export { DigestAnswerer, type DigestAccount } from './digest-answerer.ts';
export { stackRequester, resolverFor, SipRequestError, type SipRequester } from './sip-requester.ts';
export { NUMBER_RE, NUMBER_MSG, PREFIX_RE, PREFIX_MSG, cleanNumber, nationalKey, sameNumber, withSendPrefix, matchNumber } from './numbers.ts';
