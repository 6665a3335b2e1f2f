// RFC 3261 12 dialogs: creation by UAC and UAS, route set and remote target, CSeq spaces,
// and the requests sent within a dialog (12.2.1.1), the ACK for a 2xx (13.2.2.4) and PRACK.
import { parseNameAddr, serializeNameAddr } from './header-address.ts';
import type { FromTo, NameAddr } from './header-types.ts';
import { createRequest, getCallId, getContacts, getCSeq, getFrom, getRSeq, getTo } from './message.ts';
import type { SipRequest, SipResponse } from './message-types.ts';
import { cloneUri, isSipUri, serializeUri } from './uri.ts';
import type { Uri } from './uri-types.ts';
import type { DialogId, DialogOptions, DialogState, InDialogCheck, InDialogRequestOptions } from './dialog-types.ts';

/** Methods that carry our Contact and refresh the remote target (RFC 3261 12.2, 3311, 6665, 3515). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/** The dialog an incoming request belongs to, seen from us as UAS of that request. */
export function dialogIdOfRequest(req: SipRequest): DialogId {
  return { callId: getCallId(req), localTag: getTo(req).tag ?? '', remoteTag: getFrom(req).tag ?? '' };
}

/** The dialog a response to our request belongs to. */
export function dialogIdOfResponse(res: SipResponse): DialogId {
  return { callId: getCallId(res), localTag: getFrom(res).tag ?? '', remoteTag: getTo(res).tag ?? '' };
}

function bare(na: FromTo): NameAddr {
  const out: NameAddr = { uri: na.uri, params: new Map() };
  if (na.displayName !== undefined) out.displayName = na.displayName;
  return out;
}

function contactUri(msg: SipRequest | SipResponse): Uri | undefined {
  const contacts = getContacts(msg);
  return contacts === '*' || contacts.length === 0 ? undefined : contacts[0].uri;
}

interface DialogInit {
  role: 'uac' | 'uas';
  id: DialogId;
  state: DialogState;
  localUri: NameAddr;
  remoteUri: NameAddr;
  remoteTarget: Uri;
  routeSet: string[];
  localSeq?: number;
  remoteSeq?: number;
}

export class Dialog {
  readonly role: 'uac' | 'uas';
  readonly id: DialogId;
  state: DialogState;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  remoteTarget: Uri;
  /** Route set as Route header values, in the order they are to be used. */
  routeSet: string[];
  localSeq?: number;
  remoteSeq?: number;
  readonly secure: boolean;
  localContact: string;
  readonly #initialLocalSeq: number;

  private constructor(init: DialogInit, opts: DialogOptions) {
    this.role = init.role;
    this.id = init.id;
    this.state = init.state;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    if (init.localSeq !== undefined) this.localSeq = init.localSeq;
    if (init.remoteSeq !== undefined) this.remoteSeq = init.remoteSeq;
    this.secure = opts.secure ?? false;
    this.localContact = opts.localContact;
    this.#initialLocalSeq = opts.initialLocalSeq ?? 1;
  }

  /**
   * RFC 3261 12.1.2 (UAC): "The route set MUST be set to the list of URIs in the Record-Route
   * header field from the response, taken in reverse order ... The remote target MUST be set
   * to the URI from the Contact header field of the response. The local sequence number MUST
   * be set to the value of the sequence number in the CSeq header field of the request. The
   * remote sequence number MUST be empty." Early for a 1xx with a To tag, confirmed for a 2xx.
   */
  static fromUacResponse(request: SipRequest, response: SipResponse, opts: DialogOptions): Dialog {
    const init: DialogInit = {
      role: 'uac', id: dialogIdOfResponse(response), state: response.status < 200 ? 'early' : 'confirmed',
      localUri: bare(getFrom(request)), remoteUri: bare(getTo(request)),
      remoteTarget: contactUri(response) ?? request.uri,
      routeSet: [...response.headers.getAll('Record-Route')].reverse(),
      localSeq: getCSeq(request).seq,
    };
    return new Dialog(init, opts);
  }

  /**
   * RFC 3261 12.1.1 (UAS): "The route set MUST be set to the list of URIs in the Record-Route
   * header field from the request, taken in order ... The remote target MUST be set to the URI
   * from the Contact header field of the request. The remote sequence number MUST be set to
   * the value of the sequence number in the CSeq header field of the request. The local
   * sequence number MUST be empty." `localTag` is the tag we put in our To.
   */
  static fromUasRequest(request: SipRequest, localTag: string, opts: DialogOptions, state: DialogState = 'early'): Dialog {
    const from = getFrom(request);
    const init: DialogInit = {
      role: 'uas', id: { callId: getCallId(request), localTag, remoteTag: from.tag ?? '' }, state,
      localUri: bare(getTo(request)), remoteUri: bare(from),
      remoteTarget: contactUri(request) ?? from.uri,
      routeSet: [...request.headers.getAll('Record-Route')],
      remoteSeq: getCSeq(request).seq,
    };
    return new Dialog(init, opts);
  }

  get key(): string {
    return dialogKey(this.id);
  }

  /** UAS: we sent the 2xx. */
  confirm(): void {
    if (this.state === 'early') this.state = 'confirmed';
  }

  terminate(): void {
    this.state = 'terminated';
  }

  /**
   * A response to a request we sent in this dialog (or to the INVITE that created it).
   * 13.2.2.4: on a 2xx for an early dialog "the dialog MUST be transitioned to the "confirmed"
   * state, and the route set for the dialog MUST be recomputed based on the 2xx response".
   * 12.2.1.2: a 2xx to a target refresh replaces the remote target. 12.3: a non-2xx final to
   * the initial INVITE ends an early dialog; "If the response for a request within a dialog is
   * a 481 or a 408, the UAC SHOULD terminate the dialog."
   */
  updateFromResponse(res: SipResponse): void {
    const { method } = getCSeq(res);
    const target = contactUri(res);
    if (res.status >= 200 && res.status < 300) {
      if (this.state === 'early' && method === 'INVITE') {
        this.state = 'confirmed';
        if (this.role === 'uac') this.routeSet = [...res.headers.getAll('Record-Route')].reverse();
      }
      if (target && TARGET_REFRESH.has(method)) this.remoteTarget = target;
    } else if (res.status > 100 && res.status < 200) {
      if (this.state === 'early' && target) this.remoteTarget = target;
    } else if (res.status === 481 || res.status === 408 || (this.state === 'early' && method === 'INVITE')) {
      this.state = 'terminated';
    }
  }

  /**
   * RFC 3261 12.2.2: "If the remote sequence number was not empty, but the sequence number of
   * the request is lower than the remote sequence number, the request is out of order and MUST
   * be rejected with a 500". A new request with an equal number is treated the same way (the
   * transaction layer has already absorbed retransmissions). "When a UAS receives a target
   * refresh request, it MUST replace the dialog's remote target URI with the URI from the
   * Contact header field in that request, if present."
   */
  receiveRequest(req: SipRequest): InDialogCheck {
    const { seq } = getCSeq(req);
    if (req.method !== 'ACK' && req.method !== 'CANCEL') {
      if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return { ok: false, status: 500, reason: 'CSeq out of order' };
      this.remoteSeq = seq;
    }
    if (TARGET_REFRESH.has(req.method)) {
      const target = contactUri(req);
      if (target) this.remoteTarget = target;
    }
    return { ok: true };
  }

  #nextSeq(): number {
    // 12.2.1.1: "the CSeq number MUST be incremented by one" (from the local sequence number).
    this.localSeq = this.localSeq === undefined ? this.#initialLocalSeq : this.localSeq + 1;
    return this.localSeq;
  }

  /** Request-URI and Route per RFC 3261 12.2.1.1 (loose routing, or strict routing legacy). */
  #routing(): { uri: Uri; routes: string[] } {
    if (this.routeSet.length === 0) return { uri: this.remoteTarget, routes: [] };
    const first = parseNameAddr(this.routeSet[0]);
    if (isSipUri(first.uri) && first.uri.params.has('lr')) return { uri: this.remoteTarget, routes: [...this.routeSet] };
    // "If the route set is not empty, and its first URI does not contain the lr parameter, the
    // UAC MUST place the first URI from the route set into the Request-URI, stripping any
    // parameters that are not allowed in a Request-URI. The UAC MUST add a Route header field
    // containing the remainder of the route set values in order, including all parameters. The
    // UAC MUST then place the remote target URI into the Route header field as the last value."
    const uri = cloneUri(first.uri);
    if (isSipUri(uri)) {
      uri.headers = [];
      uri.params.delete('method');
    }
    return { uri, routes: [...this.routeSet.slice(1), `<${serializeUri(this.remoteTarget)}>`] };
  }

  #build(method: string, seq: number, opts: InDialogRequestOptions): SipRequest {
    const { uri, routes } = this.#routing();
    const req = createRequest({ method, uri, body: opts.body });
    const h = req.headers;
    h.append('Max-Forwards', '70');
    // "The URI in the To field of the request MUST be set to the remote URI from the dialog
    // state. The tag in the To header field of the request MUST be set to the remote tag ..."
    const tagged = (na: NameAddr, tag: string) => serializeNameAddr(tag ? { ...na, params: new Map([['tag', tag]]) } : na);
    h.append('From', tagged(this.localUri, this.id.localTag));
    h.append('To', tagged(this.remoteUri, this.id.remoteTag));
    h.append('Call-ID', this.id.callId);
    h.append('CSeq', `${seq} ${method}`);
    if (routes.length > 0) h.append('Route', ...routes);
    if (TARGET_REFRESH.has(method)) h.append('Contact', this.localContact);
    for (const [name, value] of opts.headers ?? []) h.append(name, value);
    if (opts.contentType) h.set('Content-Type', opts.contentType);
    return req;
  }

  /** A new request within the dialog (BYE, re-INVITE, UPDATE, INFO, REFER, NOTIFY, ...). */
  createRequest(method: string, opts: InDialogRequestOptions = {}): SipRequest {
    if (method === 'ACK' || method === 'CANCEL') throw new Error(`${method} is not built with createRequest`);
    return this.#build(method, this.#nextSeq(), opts);
  }

  /**
   * RFC 3261 13.2.2.4: "The header fields of the ACK are constructed in the same way as for
   * any request sent within a dialog with the exception of the CSeq and the header fields
   * related to authentication. The sequence number of the CSeq header field MUST be the same
   * as the INVITE being acknowledged ... the ACK MUST contain the same credentials as the INVITE."
   */
  createAck(invite: SipRequest, opts: InDialogRequestOptions = {}): SipRequest {
    const ack = this.#build('ACK', getCSeq(invite).seq, opts);
    for (const name of ['Authorization', 'Proxy-Authorization']) {
      for (const v of invite.headers.getAll(name)) ack.headers.append(name, v);
    }
    return ack;
  }

  /** RFC 3262 7.2: PRACK with RAck = RSeq, CSeq number and method of the reliable response. */
  createPrack(reliable: SipResponse, opts: InDialogRequestOptions = {}): SipRequest {
    const rseq = getRSeq(reliable);
    if (rseq === undefined) throw new Error('Response has no RSeq');
    const cseq = getCSeq(reliable);
    return this.createRequest('PRACK', { ...opts, headers: [['RAck', `${rseq} ${cseq.seq} ${cseq.method}`], ...(opts.headers ?? [])] });
  }

  /** Route set as parsed addresses (for diagnostics and transport target choice). */
  routes(): NameAddr[] {
    return this.routeSet.map(parseNameAddr);
  }
}

