// Types of RFC 3261 12 dialog state.

/** RFC 3261 12: "A dialog is identified ... by a Call-ID, a local tag and a remote tag." */
export interface DialogId {
  callId: string;
  localTag: string;
  /** Empty string when the peer sent no tag (RFC 2543 peers; 12.1.1 "considered null"). */
  remoteTag: string;
}

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogOptions {
  /** Our Contact header value for target-refresh requests, e.g. `<sip:ccbox@192.0.2.1:5060>`. */
  localContact: string;
  /** 12.1.1: "If the request arrived over TLS, and the Request-URI contained a SIPS URI". */
  secure?: boolean;
  /** First CSeq we use in a dialog where the local sequence number starts empty (UAS side). */
  initialLocalSeq?: number;
}

export interface InDialogRequestOptions {
  body?: Buffer | string;
  contentType?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
}

/** Verdict on a request received within a dialog (RFC 3261 12.2.2). */
export type InDialogCheck = { ok: true } | { ok: false; status: 500; reason: string };
