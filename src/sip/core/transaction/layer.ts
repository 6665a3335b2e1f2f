// The transaction layer: creates client and server transactions, matches incoming messages
// to them (RFC 3261 17.1.3, 17.2.3, RFC 2543 fallback), answers CANCEL (9.2) and hands
// everything else to the transaction user.
import { SipParseError } from '../errors.ts';
import { buildVia, hasMagicCookie, serializeVia } from '../header-via.ts';
import { newBranch, newTag, type RandomSource } from '../ids.ts';
import { getCallId, getCSeq, getFrom, getTo, getTopVia, getVias } from '../message.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message-types.ts';
import { buildCancel, buildResponse } from '../response.ts';
import { responseDestination, stampReceived } from '../via-rules.ts';
import { InviteClientTransaction } from './client-invite.ts';
import { NonInviteClientTransaction } from './client-non-invite.ts';
import { clientKey, clientKeyOfResponse, mergeKey, server2543Key, serverKey, toTagOf } from './matching.ts';
import { InviteServerTransaction } from './server-invite.ts';
import { NonInviteServerTransaction } from './server-non-invite.ts';
import {
  DEFAULT_TIMERS, type ClientTransactionUser, type Peer, type SendFn, type TimerConfig, type TimerHost,
  type TransactionEnv,
} from './transaction-types.ts';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export interface TransactionLayerOptions {
  timers: TimerHost;
  send: SendFn;
  random: RandomSource;
  timerConfig?: Partial<TimerConfig>;
  /** sent-by written into the Via of requests that have none, per destination. */
  viaSentBy?: (peer: Peer) => { host: string; port?: number };
  /** RFC 3261 17.2.1: answer a new INVITE with 100 Trying at once. Default true. */
  autoTrying?: boolean;
}

/** The UAS/UAC core above the layer. */
export interface TransactionLayerUser {
  /**
   * A new request with its server transaction, or an ACK that matched no transaction (the
   * ACK for a 2xx, RFC 3261 17.2.3 / RFC 6026) with tx undefined.
   */
  onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Peer): void;
  /** A CANCEL matched this INVITE, which is still proceeding; the layer has answered 200 to
   * the CANCEL, the core SHOULD answer the INVITE with 487 (RFC 3261 9.2). */
  onCancel?(invite: InviteServerTransaction, cancel: SipRequest): void;
  /** A response matching no client transaction (e.g. a 2xx retransmitted after Timer M). */
  onStrayResponse?(response: SipResponse, source: Peer): void;
}

/** Parses (and caches) every header matching needs; false when one is malformed. */
function matchable(msg: SipMessage): boolean {
  try {
    getTopVia(msg);
    getCSeq(msg);
    getCallId(msg);
    getFrom(msg);
    getTo(msg);
    return true;
  } catch (err) {
    if (err instanceof SipParseError) return false;
    throw err;
  }
}

export class TransactionLayer {
  readonly #opts: TransactionLayerOptions;
  readonly #user: TransactionLayerUser;
  readonly #env: TransactionEnv;
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #servers2543 = new Map<string, Set<ServerTransaction>>();
  readonly #pendingCancels = new Map<InviteClientTransaction, ClientTransactionUser>();
  /** Server transactions of requests without a To tag, by From tag, Call-ID and CSeq (RFC 3261 8.2.2.2). */
  readonly #byMergeKey = new Map<string, ServerTransaction>();

  constructor(opts: TransactionLayerOptions, user: TransactionLayerUser) {
    this.#opts = opts;
    this.#user = user;
    this.#env = { timers: opts.timers, send: opts.send, config: { ...DEFAULT_TIMERS, ...opts.timerConfig } };
  }

  get counts(): { client: number; server: number } {
    let rfc2543 = 0;
    for (const set of this.#servers2543.values()) rfc2543 += set.size;
    return { client: this.#clients.size, server: this.#servers.size + rfc2543 };
  }

  newBranch(): string {
    return newBranch(this.#opts.random);
  }

  /**
   * Entry point for every parsed message from the transport. A message whose matching headers
   * (top Via, CSeq, Call-ID, From, To) do not parse is dropped: it can be neither matched nor
   * answered along its Via.
   */
  receive(msg: SipMessage, source: Peer): void {
    if (!matchable(msg)) return;
    if (msg.kind === 'response') this.#receiveResponse(msg, source);
    else this.#receiveRequest(msg, source);
  }

  /**
   * Starts a client transaction. The request gets a top Via with a fresh branch if it has
   * none (RFC 3261 8.1.1.7), or a branch added to its Via; it is changed in place.
   */
  sendRequest(req: SipRequest, peer: Peer, user: ClientTransactionUser): ClientTransaction {
    // RFC 3261 17: an ACK for a 2xx is not a transaction; the ACK for a non-2xx is sent by the
    // INVITE client transaction itself.
    if (req.method === 'ACK') throw new Error('ACK is sent with sendStateless, not in a transaction');
    const branch = this.#stampVia(req, peer);
    const key = clientKey(branch, req.method);
    const tx = req.method === 'INVITE'
      ? new InviteClientTransaction(key, req, peer, this.#env, this.#wrapInviteUser(user))
      : new NonInviteClientTransaction(key, req, peer, this.#env, user);
    this.#clients.set(key, tx);
    tx.onTerminated(() => this.#clients.delete(key));
    tx.start();
    return tx;
  }

  /** Sends a request outside any transaction (the ACK for a 2xx, RFC 3261 13.2.2.4). */
  sendStateless(req: SipRequest, peer: Peer): void {
    this.#stampVia(req, peer);
    this.#env.send(req, peer);
  }

  /**
   * RFC 3261 9.1: cancels an INVITE client transaction. "If no provisional response has been
   * received, the CANCEL request MUST NOT be sent; rather, the client MUST wait for the
   * arrival of a provisional response before sending the request." Returns false when the
   * INVITE already has a final response.
   */
  cancel(invite: InviteClientTransaction, user: ClientTransactionUser = { onResponse: () => {} }): boolean {
    if (invite.state === 'calling') {
      this.#pendingCancels.set(invite, user);
      return true;
    }
    if (invite.state !== 'proceeding') return false;
    this.sendRequest(buildCancel(invite.request), invite.peer, user);
    return true;
  }

  #wrapInviteUser(user: ClientTransactionUser): ClientTransactionUser {
    const layer = this;
    return {
      ...user,
      onResponse(res) {
        user.onResponse(res);
        const tx = layer.#clients.get(clientKeyOfResponse(res) ?? '');
        if (tx instanceof InviteClientTransaction && layer.#pendingCancels.has(tx)) {
          const cancelUser = layer.#pendingCancels.get(tx)!;
          layer.#pendingCancels.delete(tx);
          if (res.status < 200) layer.sendRequest(buildCancel(tx.request), tx.peer, cancelUser);
        }
      },
      onTerminated() {
        for (const [tx] of layer.#pendingCancels) if (tx.state === 'terminated') layer.#pendingCancels.delete(tx);
        user.onTerminated?.();
      },
    };
  }

  #stampVia(req: SipRequest, peer: Peer): string {
    const vias = getVias(req);
    if (vias.length === 0) {
      if (!this.#opts.viaSentBy) throw new Error('Request has no Via and no viaSentBy is configured');
      const branch = this.newBranch();
      req.headers.prepend('Via', buildVia({ transport: peer.transport, ...this.#opts.viaSentBy(peer), branch }));
      return branch;
    }
    if (hasMagicCookie(vias[0].branch)) return vias[0].branch;
    const branch = this.newBranch();
    const values = [...req.headers.getAll('Via')];
    values[0] = serializeVia({ ...vias[0], params: new Map([...vias[0].params, ['branch', branch]]) });
    req.headers.set('Via', values);
    return branch;
  }

  #receiveResponse(res: SipResponse, source: Peer): void {
    const tx = this.#clients.get(clientKeyOfResponse(res) ?? '');
    if (tx) tx.receiveResponse(res);
    else this.#user.onStrayResponse?.(res, source);
  }

  #receiveRequest(req: SipRequest, source: Peer): void {
    stampReceived(req, source);
    if (req.method === 'ACK') {
      const invite = this.#matchServer(req, 'INVITE');
      if (invite instanceof InviteServerTransaction && invite.receiveAck(req)) return;
      this.#user.onRequest(req, undefined, source);
      return;
    }
    const existing = this.#matchServer(req, req.method);
    if (existing) {
      existing.receiveRequest(req);
      return;
    }
    const merged = this.#mergedWith(req);
    const tx = this.#createServer(req, source);
    if (merged) {
      // RFC 3261 8.2.2.2: "If the From tag, Call-ID, and CSeq exactly match those associated with an ongoing
      // transaction, but the request does not match that transaction ..., the UAS core SHOULD generate a
      // 482 (Loop Detected) response and pass it to the server transaction."
      tx.respond(buildResponse(req, 482, { toTag: newTag(this.#opts.random) }));
      return;
    }
    if (req.method === 'CANCEL') return this.#answerCancel(tx as NonInviteServerTransaction, req);
    this.#trackMergeKey(req, tx);
    if (tx instanceof InviteServerTransaction && this.#opts.autoTrying !== false) {
      tx.respond(buildResponse(req, 100));
    }
    this.#user.onRequest(req, tx, source);
  }

  /**
   * A new request without a To tag whose From tag, Call-ID and CSeq are those of a transaction still in
   * progress (no final response yet, or an INVITE accepted with a 2xx): the same request forked to us by
   * another path. CANCEL is matched to its INVITE instead (RFC 3261 9.2).
   */
  #mergedWith(req: SipRequest): ServerTransaction | undefined {
    if (req.method === 'CANCEL' || toTagOf(req) !== undefined) return undefined;
    const tx = this.#byMergeKey.get(mergeKey(req));
    return tx && (tx.state === 'trying' || tx.state === 'proceeding' || tx.state === 'accepted') ? tx : undefined;
  }

  #trackMergeKey(req: SipRequest, tx: ServerTransaction): void {
    if (toTagOf(req) !== undefined) return;
    const key = mergeKey(req);
    this.#byMergeKey.set(key, tx);
    tx.onTerminated(() => {
      if (this.#byMergeKey.get(key) === tx) this.#byMergeKey.delete(key);
    });
  }

  #createServer(req: SipRequest, source: Peer): ServerTransaction {
    const peer = responseDestination(getTopVia(req), source);
    const key = serverKey(req);
    const id = key ?? server2543Key(req);
    const tx = req.method === 'INVITE'
      ? new InviteServerTransaction(id, req, peer, this.#env)
      : new NonInviteServerTransaction(id, req, peer, this.#env);
    if (key !== undefined) {
      this.#servers.set(key, tx);
      tx.onTerminated(() => this.#servers.delete(key));
    } else {
      const set = this.#servers2543.get(id) ?? new Set();
      set.add(tx);
      this.#servers2543.set(id, set);
      tx.onTerminated(() => {
        set.delete(tx);
        if (set.size === 0) this.#servers2543.delete(id);
      });
    }
    return tx;
  }

  /** RFC 3261 17.2.3 matching, or the RFC 2543 rules when the branch lacks the cookie. */
  #matchServer(req: SipRequest, method: string): ServerTransaction | undefined {
    const key = serverKey(req, method);
    if (key !== undefined) return this.#servers.get(key);
    const candidates = this.#servers2543.get(server2543Key(req, method));
    if (!candidates) return undefined;
    const tag = toTagOf(req);
    for (const tx of candidates) {
      // An ACK carries the To tag of our response; other requests the tag of the original.
      const expected = req.method === 'ACK' && tx instanceof InviteServerTransaction && tx.lastResponse
        ? toTagOf(tx.lastResponse) : toTagOf(tx.request);
      if (expected === tag) return tx;
    }
    return undefined;
  }

  /**
   * RFC 3261 9.2: "If the UAS did not find a matching transaction for the CANCEL according to
   * the procedure above, it SHOULD respond to the CANCEL with a 481 ... Regardless of the
   * method of the original request, as long as the CANCEL matched an existing transaction,
   * the UAS answers the CANCEL request itself with a 200 (OK) response."
   */
  #answerCancel(tx: NonInviteServerTransaction, cancel: SipRequest): void {
    const invite = this.#matchServer(cancel, 'INVITE');
    if (!(invite instanceof InviteServerTransaction) || invite.state === 'terminated') {
      tx.respond(buildResponse(cancel, 481, { toTag: newTag(this.#opts.random) }));
      return;
    }
    // "The To tag of the response to the CANCEL and the To tag in the response to the
    // original request SHOULD be the same."
    tx.respond(buildResponse(cancel, 200, { toTag: invite.toTag ?? newTag(this.#opts.random) }));
    if (invite.state === 'proceeding') this.#user.onCancel?.(invite, cancel);
  }
}
