// Public face of the SIP transports: UDP, TCP and TLS behind one interface, plus Via routing and NAT.
export * from './transport-types.ts';
export { TransportLayer, type SipTransport, type TransportLayerOptions, type AdvertisedAddress } from './transport-layer.ts';
export { UdpTransport, literalLookup } from './udp-transport.ts';
export { StreamTransport } from './stream-transport.ts';
export { AddressSelector, cidrList, inList, DEFAULT_LOCAL_NETWORKS, type InterfaceAddress } from './nat.ts';
export { normalizeIp, uriHost, familyOf } from './addresses.ts';
