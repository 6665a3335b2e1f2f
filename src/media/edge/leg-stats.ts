// Counters of one leg, kept by the worker and reported on request or periodically.
import type { LegStats } from './edge-types.ts';

export function createLegStats(): LegStats {
  return {
    rtpIn: 0, rtpBytesIn: 0, rtpToRouter: 0, rtpToPeer: 0, rtpFromRouter: 0, rtpToPhone: 0, rtcpIn: 0, dtmfPacketsIn: 0,
    droppedForeign: 0, droppedMalformed: 0, droppedUnknownPt: 0, droppedNoRelay: 0, droppedUnconsumed: 0, droppedNoRemote: 0,
    droppedFromRouter: 0, ssrcChanges: 0, remoteSsrc: null, latched: null,
  };
}
