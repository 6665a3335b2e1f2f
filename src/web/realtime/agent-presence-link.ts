// The workbench page is how a browser agent is online: the first socket logs the agent in to the ACD
// (webLogin: the default status), the session's end logs them out at once, and a socket that drops logs them
// out only if no page came back within the grace (a network blip or a reload keeps the agent and the call).
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeHub } from './realtime-hub.ts';

export interface WebPresenceTarget {
  hasAgent(agentId: number): boolean;
  webLogin(agentId: number): Promise<unknown>;
  webLogout(agentId: number): Promise<unknown>;
}

export function linkAgentPresence(hub: RealtimeHub, acd: WebPresenceTarget, o: { graceMs: number; log: Logger }): () => void {
  const pending = new Map<number, NodeJS.Timeout>();
  const cancel = (userId: number): void => {
    clearTimeout(pending.get(userId));
    pending.delete(userId);
  };
  const run = (what: 'webLogin' | 'webLogout', userId: number): void => {
    if (!acd.hasAgent(userId)) return;
    acd[what](userId).catch((err: unknown) => o.log.warn({ err, userId }, `workbench presence: ${what} failed`));
  };
  const onConnected = ({ userId }: { userId: number }): void => {
    cancel(userId);
    run('webLogin', userId);
  };
  const onDisconnected = ({ userId }: { userId: number }): void => {
    cancel(userId);
    const t = setTimeout(() => {
      pending.delete(userId);
      if (!hub.isOnline(userId)) run('webLogout', userId);
    }, o.graceMs);
    t.unref();
    pending.set(userId, t);
  };
  const onLoggedOut = ({ userId }: { userId: number }): void => {
    cancel(userId);
    if (!hub.isOnline(userId)) run('webLogout', userId);
  };
  hub.on('connected', onConnected);
  hub.on('disconnected', onDisconnected);
  hub.on('loggedOut', onLoggedOut);
  return () => {
    hub.off('connected', onConnected);
    hub.off('disconnected', onDisconnected);
    hub.off('loggedOut', onLoggedOut);
    for (const id of [...pending.keys()]) cancel(id);
  };
}
