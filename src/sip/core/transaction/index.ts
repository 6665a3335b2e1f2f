// Public face of the transaction machines and the transaction layer.
export type * from './transaction-types.ts';
export { DEFAULT_TIMERS, isReliable } from './transaction-types.ts';
export { InvalidTransitionError } from './transaction-base.ts';
export { InviteClientTransaction, type InviteClientState } from './client-invite.ts';
export { NonInviteClientTransaction, type NonInviteClientState } from './client-non-invite.ts';
export { InviteServerTransaction, type InviteServerState } from './server-invite.ts';
export { NonInviteServerTransaction, type NonInviteServerState } from './server-non-invite.ts';
export {
  TransactionLayer, type TransactionLayerOptions, type TransactionLayerUser, type ClientTransaction,
  type ServerTransaction,
} from './layer.ts';
