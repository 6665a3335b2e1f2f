// Whom a leg rings: an extension's registered contacts (each reached over the flow it registered on), or
// an outside number through a channel (its carrier, registrar or gateway) with the channel's number as
// caller ID and its sending prefix before the callee.
import { serializeUri } from '../sip/core/index.ts';
import type { SipStack } from '../sip/index.ts';
import { bindingDestination, withSendPrefix, type ChannelNumber, type ChannelRuntime } from '../sip/trunks/index.ts';
import type { RingTarget } from './ringer.ts';

export interface CallerIdentity {
  number: string;
  name: string | null;
}

const hostOf = (stack: SipStack, dest: { transport: 'udp' | 'tcp' | 'tls'; ip: string }): string => stack.advertisedFor(dest).host;

/** One target per registered contact of the extension (parallel forking). */
export function extensionTargets(stack: SipStack, isClosed: (connectionId: string) => boolean, extension: string, caller: CallerIdentity, maxForwards?: number): RingTarget[] {
  return stack.location.lookup(extension).map((b) => {
    const dest = bindingDestination(b, isClosed);
    const host = hostOf(stack, dest);
    return {
      kind: 'phone' as const,
      party: extension,
      request: {
        dest,
        requestUri: serializeUri(b.contact.uri),
        from: { uri: `sip:${caller.number}@${host}`, ...(caller.name ? { displayName: caller.name } : {}) },
        to: { uri: `sip:${extension}@${host}` },
        ...(maxForwards !== undefined ? { maxForwards } : {}),
      },
    };
  });
}

export interface ChannelRoute {
  channel: ChannelRuntime;
  /** The number shown as caller ID (外显号码). */
  number: ChannelNumber;
}

/** The one target of an outbound call through `route`, or null when the channel's peer is unreachable now. */
export async function channelTarget(stack: SipStack, route: ChannelRoute, dialled: string, maxForwards?: number): Promise<RingTarget | null> {
  const { channel, number } = route;
  const target = await channel.target();
  if (!target) return null;
  const { dest, host } = target;
  const user = withSendPrefix(number.sendPrefix, dialled);
  const defaultPort = dest.transport === 'tls' ? 5061 : 5060;
  const hostPort = dest.port === defaultPort ? host : `${host}:${dest.port}`;
  const transport = dest.transport === 'udp' ? '' : `;transport=${dest.transport}`;
  const config = channel.config;
  const identity = config.mode === 'registerOut' ? config.registerOut.username : number.number;
  const idHost = config.mode === 'registerOut' ? config.registerOut.server : stack.advertisedFor(dest).host;
  return {
    kind: 'trunk',
    party: dialled,
    request: {
      dest,
      requestUri: `sip:${user}@${hostPort}${transport}`,
      from: { uri: `sip:${identity}@${idHost}` },
      to: { uri: `sip:${user}@${host}` },
      // RFC 3325: the number shown to the callee, for carriers that trust us.
      headers: [['P-Asserted-Identity', `<sip:${number.number}@${idHost}>`]],
      ...(config.mode === 'registerOut' && config.password ? { auth: { username: config.registerOut.authUsername ?? config.registerOut.username, password: config.password } } : {}),
      ...(maxForwards !== undefined ? { maxForwards } : {}),
    },
  };
}
