// Helpers for the SIP transport, registrar and defence unit tests: wire text, a capturing logger.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/platform/logger.ts';
import { parseMessage, type SipRequest } from '../../../src/sip/core/index.ts';

export function wire(lines: string[], body = ''): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

export function request(lines: string[]): SipRequest {
  const m = parseMessage(wire(lines));
  if (m.kind !== 'request') throw new Error('not a request');
  return m;
}

/** A pino logger whose lines are kept (parsed) for assertions. */
export function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>>; messages: () => string[] } {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level: 'debug', destination: dest }), lines, messages: () => lines.map((l) => String(l.msg)) };
}

export const silentLog = createLogger({ level: 'silent' });
