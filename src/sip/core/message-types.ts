// SIP messages as plain data: start line, a Headers container and the body bytes.
import type { Headers } from './headers.ts';
import type { Uri } from './uri-types.ts';

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: Uri;
  /** Always "SIP/2.0" for a message that passed validation. */
  version: string;
  headers: Headers;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  version: string;
  headers: Headers;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;
