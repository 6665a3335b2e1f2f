// Public face of media/webrtc: browser agents' media (WebRtcServer, per-agent transports) and browser legs.
export * from './webrtc-types.ts';
export { WebRtcService, DEFAULT_AGENT_GRACE_MS, DEFAULT_PRODUCE_WAIT_MS } from './webrtc-service.ts';
export { AgentMedia, lawOfRtpParameters } from './agent-media.ts';
export { WebRtcLeg } from './browser-leg.ts';
export { webRtcListenInfos, hostIpv4Addresses } from './listen-infos.ts';
