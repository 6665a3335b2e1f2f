// Public face of the workbench softphone (mediasoup-client over the workbench WebSocket).
export { Softphone, type Law, type SoftphoneOptions, type SoftphoneState, type RemoteSource } from './softphone';
export { WorkbenchSocket, RequestError, type WelcomeData, type WorkbenchSocketOptions } from './workbench-socket';
