// Writes a SIP message to bytes: canonical long header names, list headers one element per
// line (token lists joined), Content-Length always present and equal to the body's bytes.
import { isJoinedOnSerialize } from './headers.ts';
import type { SipMessage } from './message-types.ts';
import { serializeUri } from './uri.ts';

export function startLine(msg: SipMessage): string {
  return msg.kind === 'request'
    ? `${msg.method} ${serializeUri(msg.uri)} SIP/2.0`
    : `SIP/2.0 ${msg.status} ${msg.reason}`;
}

/** The header section text, without the empty line; Content-Length reflects the body. */
export function serializeHead(msg: SipMessage): string {
  const lines = [startLine(msg)];
  let wroteLength = false;
  for (const [name, values] of msg.headers.entries()) {
    if (name === 'Content-Length') {
      // RFC 3261 18.3: stream transports require it; on UDP it must still be right.
      lines.push(`Content-Length: ${msg.body.length}`);
      wroteLength = true;
    } else if (isJoinedOnSerialize(name)) {
      lines.push(`${name}: ${values.join(', ')}`);
    } else {
      for (const value of values) lines.push(`${name}: ${value}`);
    }
  }
  if (!wroteLength) lines.push(`Content-Length: ${msg.body.length}`);
  return lines.join('\r\n') + '\r\n';
}

export function serializeMessage(msg: SipMessage): Buffer {
  const head = Buffer.from(serializeHead(msg) + '\r\n', 'utf8');
  return msg.body.length === 0 ? head : Buffer.concat([head, msg.body]);
}
