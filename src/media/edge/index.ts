// Public face of media/edge: the RTP edge for SIP legs (worker threads own the sockets).
export * from './edge-types.ts';
export { RtpEdge, DEFAULT_EDGE_PORT_RANGE } from './rtp-edge.ts';
export { RtpEdgeLeg } from './rtp-edge-leg.ts';
export { PortAllocator } from './port-allocator.ts';
export { RemoteLatch, type LatchConfig } from './latch.ts';
export { StreamRebaser } from './rebaser.ts';
export { PcmMixer } from './mixer.ts';
