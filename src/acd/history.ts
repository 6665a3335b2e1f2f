// Persists every agent state change for reports: changes are buffered and written in one transaction per
// batch (the call path never waits on the disk for them); flush() drains the buffer at stop.
import type { Logger } from '../platform/logger.ts';
import type { AgentStateChange, AgentStatusView } from './agent-state-types.ts';
import type { AcdStore, AgentStateRecord } from './store.ts';

export class StateHistory {
  private buffer: AgentStateChange[] = [];
  private current = new Map<number, AgentStateRecord>();
  private writing: Promise<void> | null = null;

  constructor(
    private readonly store: AcdStore,
    private readonly log: Logger,
  ) {}

  record(change: AgentStateChange, view: AgentStatusView): void {
    this.buffer.push(change);
    this.current.set(change.agentId, { agentId: view.agentId, status: view.status, breakReasonId: view.breakReasonId, dispatch: view.dispatch, callId: view.callId });
    if (!this.writing) this.writing = Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (this.buffer.length) {
      const rows = this.buffer;
      const current = [...this.current.values()];
      this.buffer = [];
      this.current = new Map();
      try {
        await this.store.appendHistory(rows, current);
      } catch (err) {
        this.log.error({ err, rows: rows.length }, 'could not write agent state history');
      }
    }
    this.writing = null;
  }

  /** Resolves once everything recorded so far is on disk (or failed and logged). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }
}
