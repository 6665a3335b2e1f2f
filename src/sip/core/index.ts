// Public face of the pure SIP core: parse/serialize, URIs, typed headers, validation, SDP and
// offer/answer, digest, transactions, dialogs and their extensions, RFC 3263 resolution.
export { SipParseError, type ParseErrorStatus } from './errors.ts';
export type { Params, HostKind } from './grammar.ts';
export { hostAddress, hostKind, quote, unquote } from './grammar.ts';
export { Headers, canonicalHeaderName } from './headers.ts';
export type * from './header-types.ts';
export type * from './message-types.ts';
export type * from './uri-types.ts';
export { parseMessage, isKeepAlive, type ParseOptions } from './parser.ts';
export { serializeMessage, serializeHead } from './serializer.ts';
export { StreamFramer, type FramerEvent, type FramerOptions } from './framer.ts';
export * from './message.ts';
export { parseNameAddr, parseFromTo, parseContact, serializeNameAddr, withTag } from './header-address.ts';
export { parseVia, serializeVia, buildVia, sentByOf, hasMagicCookie, MAGIC_COOKIE } from './header-via.ts';
export { parseAuthHeader, serializeAuthHeader } from './header-auth.ts';
export {
  parseCSeq, parseMediaType, parseReplaces, parseReason, parseSessionExpires, parseMinSE, parseRAck,
  parseRSeq, parseEvent, parseSubscriptionState, parseCallId, parseDeltaSeconds, parseMaxForwards, MAX_CSEQ,
} from './header-values.ts';
export { parseUri, serializeUri, sipUri, cloneUri, isSipUri, isTelUri } from './uri.ts';
export { uriEquals } from './uri-compare.ts';
export { reasonPhrase } from './status.ts';
export { buildResponse, buildCancel, buildAckForNon2xx, type ResponseOptions } from './response.ts';
export {
  validateRequestForServer, validateResponseForClient, type ServerPolicy, type ServerVerdict,
} from './validate.ts';
export { newBranch, newTag, newCallId, randomToken, initialCSeq, type RandomSource } from './ids.ts';
export type * from './sdp-types.ts';
export {
  parseSdp, serializeSdp, SdpParseError, rtpMaps, fmtp, ptime, direction, setDirection, connectionOf, rtcpOf, getAttribute,
} from './sdp.ts';
export {
  buildAnswer, buildOffer, reoffer, holdOffer, isHold, answerDirection, type LocalAudio, type NegotiatedAudio,
} from './offer-answer.ts';
export type * from './digest-types.ts';
export {
  computeHa1, computeResponse, digestHash, hashUsername, parseAlgorithm, toDigestChallenge, toDigestCredentials,
  serializeChallenge, serializeCredentials,
} from './digest.ts';
export { createNonce, checkNonce, MemoryNonceCountStore, NonceIssuer, type NonceState } from './digest-nonce.ts';
export { buildChallenges, verifyDigest, type DigestServerOptions, type VerifyInput } from './digest-server.ts';
export { buildAuthorization, buildCredentials, pickChallenge, type AuthorizationInput } from './digest-client.ts';
export { stampReceived, stampedVia, responseDestination } from './via-rules.ts';
export { scanPlainRegister, type PlainRegister } from './register-scan.ts';
export * from './transaction/index.ts';
export type * from './dialog-types.ts';
export { Dialog, dialogKey, dialogIdOfRequest, dialogIdOfResponse } from './dialog.ts';
export {
  ReliableProvisionalSender, ReliableProvisionalReceiver, initialRSeq, isReliableProvisional,
  type ReliableSenderOptions, type ReliableVerdict,
} from './reliable.ts';
export {
  Q850_CAUSES, q850ToSipStatus, sipStatusToQ850, describeQ850, buildReason, q850CauseOf, type Q850Cause,
} from './reason.ts';
export { replacesFromReferTo, replacesFor, matchReplaces, type ReplacesMatch } from './replaces.ts';
export {
  negotiateUas, negotiateUac, uacRequestHeaders, retryIntervalAfter422, refreshDelayMs, expiryDelayMs,
  MIN_SE_FLOOR, type SessionTimerPolicy, type UasSessionTimer, type UacSessionTimer,
} from './session-timer.ts';
export {
  resolveSipTargets, orderSrv, defaultPort, type DnsLookups, type NaptrRecord, type SrvRecord, type ResolvedTarget,
  type ResolveOptions, type SipTransport,
} from './resolve.ts';
