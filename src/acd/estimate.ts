// Estimated wait for a position prompt: the callers ahead served in parallel by the agents online, at the group's
// average handle time. Pure; the queue side supplies the figures.

export const DEFAULT_HANDLE_MS = 120_000;

export function estimateWaitMs(waitNo: number, avgHandleMs: number | null, agentsOnline: number): number {
  const handle = avgHandleMs ?? DEFAULT_HANDLE_MS;
  const rounds = Math.ceil(Math.max(1, waitNo) / Math.max(1, agentsOnline));
  return rounds * handle;
}

/** Exponentially weighted average of talk times, so recent calls count more. */
export function nextAverage(prev: number | null, sampleMs: number, weight = 0.2): number {
  return prev === null ? sampleMs : Math.round(prev * (1 - weight) + sampleMs * weight);
}
