// Public face of the ACD: the Acd, its contracts with the call side (AgentDeviceDialer, enqueue, presence),
// the control-API access layer, settings, strategies (pure), and the box's factory.
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { Acd } from './acd.ts';
import { sqlDirectorySource } from './directory-view.ts';
import { SqliteAcdStore } from './sqlite-store.ts';

export { Acd, type AcdOptions, type SettableStatus } from './acd.ts';
export { AcdAccess, type AgentStatusRow, type QueueSummary } from './acd-access.ts';
export type * from './acd-types.ts';
export * from './agent-state-types.ts';
export { canMoveStatus, canMoveDispatch, IllegalTransition } from './agent-state.ts';
export { acdSettingsSchema, acdSettingsInputSchema, DEFAULT_ACD_SETTINGS, DISTRIBUTIONS } from './settings-types.ts';
export type { AcdSettings, AcdSettingsInput, AcdSettingsView, QueueAction, Distribution } from './settings-types.ts';
export { buildDirectory, sqlDirectorySource, type AcdDirectory, type AcdDirectoryInput, type AcdDirectorySource } from './directory-view.ts';
export { MemoryAcdStore, type AcdStore, type LastAgentRecord, type HistoryQuery } from './store.ts';
export { SqliteAcdStore } from './sqlite-store.ts';
export { LAST_AGENT_TTL_MS, normalizeNumber } from './callback-memory.ts';
export { estimateWaitMs } from './estimate.ts';
export { DEFAULT_TUNING, type AcdTuning } from './core.ts';
export * as strategies from './strategies/index.ts';

/** The SIP registrar's location service, as far as the ACD needs it (phones working without a web login). */
export interface RegistrationSource {
  on(event: 'registered', fn: (b: { extension: string }) => void): unknown;
  on(event: 'unregistered', fn: (b: { extension: string }) => void): unknown;
  lookup(extension: string): readonly unknown[];
}

export interface StartAcdOptions {
  db: Database;
  log: Logger;
  clock: Clock;
  /** Directory phone changes (bindings) → the ACD re-reads the directory. */
  phones?: { on(event: 'changed', fn: () => void): unknown };
  registrations?: RegistrationSource;
  directoryRefreshMs?: number;
}

/** The box's ACD on its SQLite, following phone bindings and registrations. */
export async function startAcd(opts: StartAcdOptions): Promise<Acd> {
  const acd = await Acd.start({
    store: new SqliteAcdStore(opts.db),
    directory: sqlDirectorySource(opts.db),
    clock: opts.clock,
    log: opts.log.child({ part: 'acd' }),
    directoryRefreshMs: opts.directoryRefreshMs ?? 10_000,
  });
  const fail = (err: unknown): void => opts.log.error({ err }, 'ACD presence update failed');
  opts.phones?.on('changed', () => void acd.refreshDirectory().catch(fail));
  const reg = opts.registrations;
  if (reg) {
    reg.on('registered', (b) => void acd.phoneRegistration(b.extension, true).catch(fail));
    reg.on('unregistered', (b) => void acd.phoneRegistration(b.extension, reg.lookup(b.extension).length > 0).catch(fail));
    for (const ext of acd.directory.phonesByExtension.keys()) if (reg.lookup(ext).length) await acd.phoneRegistration(ext, true);
  }
  return acd;
}
