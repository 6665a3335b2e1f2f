// The softphone's requests on the workbench socket: mediasoup signalling for the agent's own
// transports (src/media/webrtc). Each handler gets the agent's media, kept across reconnects.
import type { types as ms } from 'mediasoup';
import type { AgentMedia } from '../../media/webrtc/index.ts';
import type { MethodData, MethodName } from './protocol.ts';

type Handler<M extends MethodName> = (agent: AgentMedia, data: MethodData<M>) => Promise<unknown>;

export type SoftphoneMethod = 'getRouterRtpCapabilities' | 'createTransport' | 'connectTransport' | 'restartIce' | 'produce'
  | 'closeProducer' | 'consume' | 'resume' | 'pause';

export const SOFTPHONE_METHODS: { [M in SoftphoneMethod]: Handler<M> } = {
  getRouterRtpCapabilities: async (agent) => ({ rtpCapabilities: agent.rtpCapabilities }),
  createTransport: async (agent, d) => agent.createTransport(d.direction),
  connectTransport: async (agent, d) => {
    await agent.connectTransport(d.transportId, d.dtlsParameters as unknown as ms.DtlsParameters);
    return {};
  },
  restartIce: async (agent, d) => ({ iceParameters: await agent.restartIce(d.transportId) }),
  produce: async (agent, d) => {
    const p = await agent.produce(d.transportId, d.kind, d.rtpParameters as unknown as ms.RtpParameters);
    return { id: p.id };
  },
  closeProducer: async (agent, d) => {
    agent.closeProducer(d.producerId);
    return {};
  },
  consume: async (agent, d) => agent.consume(d.producerId, d.rtpCapabilities as ms.RtpCapabilities | undefined),
  resume: async (agent, d) => {
    await agent.resumeConsumer(d.consumerId);
    return {};
  },
  pause: async (agent, d) => {
    await agent.pauseConsumer(d.consumerId);
    return {};
  },
};

export const isSoftphoneMethod = (m: string): m is SoftphoneMethod => Object.prototype.hasOwnProperty.call(SOFTPHONE_METHODS, m);
