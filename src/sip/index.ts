// The SIP stack the box boots: transports → defences → (retransmissions, validation) → registrar,
// OPTIONS and default answers, with hooks where the B2BUA plugs in (INVITE, in-dialog requests,
// responses to its client transactions). sip/core stays pure; this is where it meets sockets.
import { randomInt } from 'node:crypto';
import type { BlockList } from 'node:net';
import os from 'node:os';
import type { PhoneCredential, PhoneChange } from '../directory/phone-types.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';
import { CcboxError } from '../platform/errors.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { TlsMaterial } from '../platform/tls.ts';
import {
  buildResponse, getTo, getTopVia, hostAddress, isSipUri, newTag, responseDestination, stampReceived, TransactionLayer,
  validateRequestForServer, validateResponseForClient,
  type ClientTransaction, type ClientTransactionUser, type DigestAlgorithm, type InviteServerTransaction, type Peer, type RandomSource,
  type ResponseOptions, type ServerTransaction, type SipMessage, type SipParseError, type SipRequest, type SipResponse, type TimerHost,
} from './core/index.ts';
import { defaultBodyTypes } from './core/validate.ts';
import { SipDefence, type Ban } from './defence/index.ts';
import { FEATURE_EVENT_TYPE } from './feature-sync/feature-event-body.ts';
import {
  CredentialTable, DigestAuthenticator, LaneWorkers, LocationService, RegisterLane, Registrar, type AuthOutcome, type ChallengeKind, type RegistrationView,
} from './registrar/index.ts';
import {
  cidrList, inList, normalizeIp, TransportLayer, type AdvertisedAddress, type SipDestination, type SipSource, type TransportProtocol,
} from './transport/index.ts';

export type { SipSource, SipDestination, TransportProtocol, AdvertisedAddress, ListeningAddress } from './transport/index.ts';
export type { Binding, RegistrationView } from './registrar/index.ts';
export type { Ban } from './defence/index.ts';
export type { AuthOutcome, ChallengeKind } from './registrar/index.ts';

/** Methods the box answers or will answer once the B2BUA is in (Allow of OPTIONS and 405). */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE'];
export const SUPPORTED_OPTION_TAGS = ['100rel', 'timer', 'replaces', 'norefersub'];

/** Bodies the box reads per method (RFC 3261 8.2.3): the defaults, and SetDoNotDisturb in SUBSCRIBE (as-feature-event). */
export function acceptedBodyTypes(method: string): readonly string[] {
  return method === 'SUBSCRIBE' ? [...defaultBodyTypes(method), FEATURE_EVENT_TYPE] : defaultBodyTypes(method);
}

/** A request handed to the stack's handlers and hooks. */
export interface IncomingRequest {
  readonly request: SipRequest;
  /** Where it came from; its top Via already carries received/rport (RFC 3581). */
  readonly source: SipSource;
  /** Builds a response (RFC 3261 8.2.6) and sends it along the Via (18.2.2). */
  reply(status: number, options?: ResponseOptions): SipResponse;
  /** The server transaction (sip/core) the request opened; absent for an ACK to a 2xx (RFC 3261 17.2.3). */
  readonly transaction?: ServerTransaction;
  /** Sends a response built elsewhere through the request's server transaction. */
  sendResponse(response: SipResponse): void;
  /**
   * Digest-authenticates the request against the phones (401, or 407 with kind 'proxy'); on failure the
   * challenge has been sent and counted for the defences, and the hook must stop.
   */
  authenticate(kind?: ChallengeKind): AuthOutcome;
}

/**
 * Where the B2BUA plugs in. Retransmissions never reach a hook: the transaction layer absorbs them.
 * A hook that returns false leaves the request to the stack's default answer.
 */
export interface SipHooks {
  /** A new INVITE (initial or re-INVITE) with its server transaction (100 Trying already sent). */
  onInvite?(req: IncomingRequest): void;
  /** Any other new request the stack does not own (BYE, ACK for a 2xx, INFO, REFER, UPDATE, PRACK, NOTIFY, …). */
  onRequest?(req: IncomingRequest): boolean;
  /** A CANCEL matched a proceeding INVITE; the layer answered the CANCEL 200, the hook answers the INVITE 487. */
  onCancel?(invite: InviteServerTransaction, cancel: SipRequest): void;
  /** A response no client transaction matched (a 2xx retransmitted after Timer M, RFC 6026). */
  onStrayResponse?(response: SipResponse, source: SipSource): void;
}

export interface SipStackOptions {
  config: Config;
  log: Logger;
  clock: Clock;
  /** Phones' credentials now and as they change (src/directory/phones.ts). */
  phones: { credentials(): Promise<PhoneCredential[]>; on(event: 'changed', fn: (c: PhoneChange) => void): unknown };
  tls: TlsMaterial | null;
  random?: RandomSource;
}

const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** core transaction Peer ↔ transport destination (flowId = the stream connection). */
export const toPeer = (s: SipSource | SipDestination): Peer => ({ transport: s.transport, address: s.ip, port: s.port, ...(s.connectionId ? { flowId: s.connectionId } : {}) });
export const fromPeer = (p: Peer): SipDestination => ({ transport: p.transport.toLowerCase() as TransportProtocol, ip: hostAddress(p.address), port: p.port, ...(p.flowId ? { connectionId: p.flowId } : {}) });

export class SipStack {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  readonly defence: SipDefence;
  readonly location: LocationService;
  readonly auth: DigestAuthenticator;
  readonly registrar: Registrar;
  /** Plain REGISTERs over UDP, answered before the general parser (null when CCBOX_SIP_REGISTER_LANE=false). */
  readonly registerLane: RegisterLane | null;
  /** Threads that read the UDP socket too and do the lane's pure half (CCBOX_SIP_REGISTER_WORKERS); null: none. */
  laneWorkers: LaneWorkers | null = null;
  readonly credentials = new CredentialTable();
  private readonly trusted: BlockList;
  private readonly ourHosts = new Set<string>();
  private hooks: SipHooks = {};
  /** Out-of-B2BUA request handlers (event packages such as as-feature-event), tried before onRequest. */
  private readonly handlers: ((req: IncomingRequest) => boolean)[] = [];
  private readonly log: Logger;
  private readonly random: RandomSource;
  /** Source of the message being handed to the transaction layer (it calls back synchronously). */
  private current?: SipSource;

  constructor(private readonly opts: SipStackOptions) {
    const { config: c, clock } = opts;
    this.log = opts.log.child({ part: 'sip' });
    this.random = opts.random ?? cryptoRandom;
    this.trusted = networks(c.sipTrustedPeers, 'CCBOX_SIP_TRUSTED_PEERS');
    networks(c.sipLocalNetworks, 'CCBOX_SIP_LOCAL_NETWORKS');
    this.transport = new TransportLayer({
      clock, log: this.log, hosts: bindHosts(c), port: c.sipPort, tlsPort: opts.tls ? c.sipTlsPort : null,
      tls: opts.tls ? { cert: opts.tls.cert, key: opts.tls.key } : undefined,
      maxMessageBytes: c.sipMaxMessageBytes, idleTimeoutMs: c.sipTcpIdleMs, connectTimeoutMs: 5000,
      externalAddress: c.sipExternalAddress, localNetworks: c.sipLocalNetworks,
    });
    const timers: TimerHost = { setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (h) => clock.clearTimeout(h as TimerHandle | undefined) };
    this.transactions = new TransactionLayer(
      {
        timers, send: this.transactionSend, random: this.random,
        viaSentBy: (peer) => {
          const a = this.advertisedFor(fromPeer(peer));
          return { host: a.host, port: a.port };
        },
      },
      {
        onRequest: (req, tx, peer) => this.onRequest(req, tx, this.sourceOf(peer)),
        onCancel: (invite, cancel) => this.onCancel(invite, cancel),
        onStrayResponse: (res, peer) => this.hooks.onStrayResponse?.(res, this.sourceOf(peer)),
      },
    );
    this.location = new LocationService(clock);
    this.defence = new SipDefence({
      clock, log: this.log,
      settings: { rateWindowMs: c.sipRateWindowMs, rateMaxRequests: c.sipRateMax, authFailWindowMs: c.sipAuthFailWindowMs, authFailMax: c.sipAuthFailMax, banMs: c.sipBanMs },
      isTrustedPeer: (ip) => this.isTrustedPeer(ip),
      hasBindingFrom: (user, ip) => this.location.hasBindingFrom(user, ip),
    });
    this.auth = new DigestAuthenticator({
      realm: c.sipRealm, nonceTtlMs: c.sipNonceTtlMs, clock, algorithms: c.sipDigestAlgorithms as DigestAlgorithm[],
      defence: this.defence, passwordOf: (u) => this.credentials.passwordOf(u),
      userByHash: (alg, realm, hash) => this.credentials.userByHash(alg, realm, hash), userhash: c.sipDigestUserhash,
    });
    this.registrar = new Registrar({
      clock, log: this.log, random: this.random, auth: this.auth, location: this.location,
      settings: { realm: c.sipRealm, minExpires: c.sipRegMinExpires, maxExpires: c.sipRegMaxExpires, defaultExpires: c.sipRegDefaultExpires, maxContacts: 10, nonceTtlMs: c.sipNonceTtlMs },
    });
    this.registerLane = c.sipRegisterLane
      ? new RegisterLane({
        registrar: this.registrar, auth: this.auth, admit: (gate) => this.defence.admit(gate), clock, log: this.log, random: this.random,
        send: (bytes, dest, fromIp) => this.transport.sendDatagram(bytes, dest, fromIp),
      })
      : null;
  }

  async start(): Promise<void> {
    this.credentials.load(await this.opts.phones.credentials());
    // Phones and gateway accounts (trunks apply theirs directly) alike reach the lane workers' copies.
    this.credentials.onChange((change) => this.laneWorkers?.credentialChanged(change));
    this.opts.phones.on('changed', (change) => {
      this.credentials.apply(change);
      if (change.kind === 'delete') this.location.removeAll(change.extension, 'removed');
      else if (change.previousExtension) this.location.removeAll(change.previousExtension, 'removed');
    });
    const lane = this.registerLane;
    if (lane) this.transport.setDatagramFilter((data, source) => lane.take(data, source));
    this.transport.on('message', (m, s) => this.onMessage(m, s));
    this.transport.on('malformed', (e, s) => this.onMalformed(e, s));
    await this.transport.listen();
    if (lane && this.opts.config.sipRegisterWorkers > 0) await this.startLaneWorkers(lane, this.opts.config.sipRegisterWorkers);
    for (const h of [this.opts.config.sipRealm, this.opts.config.sipDomain, this.opts.config.sipExternalAddress, os.hostname(), 'localhost']) if (h) this.ourHosts.add(h.toLowerCase());
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) this.ourHosts.add(normalizeIp(a.address));
    this.log.info({ listening: this.transport.listening }, 'SIP is listening');
  }

  /** Lane workers: started after the sockets are bound; a failure leaves the main thread reading alone. */
  private async startLaneWorkers(lane: RegisterLane, count: number): Promise<void> {
    const c = this.opts.config;
    const workers = new LaneWorkers({
      count, lane, log: this.log, realm: c.sipRealm, key: this.auth.key, nonceTtlMs: c.sipNonceTtlMs, maxMessageBytes: c.sipMaxMessageBytes,
      credentials: () => this.credentials.list(),
      duplicateSockets: () => this.transport.duplicateUdpSockets(),
      receiveForwarded: (bytes, source) => this.transport.receiveForwarded(bytes, source),
    });
    // Set before they start: a change made meanwhile is queued for each worker already created.
    this.laneWorkers = workers;
    try {
      await workers.start();
      this.log.info({ workers: workers.size }, 'REGISTER lane workers are reading the SIP UDP socket');
    } catch (err) {
      this.log.warn({ err }, 'REGISTER lane workers could not start; the main thread reads the SIP UDP socket alone');
      this.laneWorkers = null;
      await workers.stop().catch(() => undefined);
    }
  }

  /** Installs the B2BUA's hooks (replacing earlier ones of the same name). */
  setHooks(hooks: SipHooks): void {
    this.hooks = { ...this.hooks, ...hooks };
  }

  /**
   * Adds a handler for new non-INVITE requests, tried before the B2BUA's onRequest; returning true takes
   * the request. Returns the function that removes it.
   */
  addRequestHandler(fn: (req: IncomingRequest) => boolean): () => void {
    this.handlers.push(fn);
    return () => {
      const i = this.handlers.indexOf(fn);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /** Trunk peers: the configured list until the trunk part adds its channels' addresses (setTrustedPeerCheck). */
  isTrustedPeer: (ip: string) => boolean = (ip) => inList(this.trusted, ip);

  setTrustedPeerCheck(fn: (ip: string) => boolean): void {
    this.isTrustedPeer = (ip) => fn(ip) || inList(this.trusted, ip);
  }

  /**
   * Sends a request in a new client transaction (RFC 3261 17.1). Without a Via, one is added with our
   * NAT-aware address for `dest` and a fresh branch; responses reach `user`.
   */
  sendRequest(req: SipRequest, dest: SipDestination, user: ClientTransactionUser): ClientTransaction {
    return this.transactions.sendRequest(req, toPeer(dest), user);
  }

  /** Sends a message as is, outside any transaction (the caller wrote its Via). */
  send(message: SipMessage | Buffer, dest: SipDestination): Promise<void> {
    return this.transport.send(message, dest);
  }

  /** The SendFn of the transaction layer; a failed send is logged (transactions time out on their own). */
  readonly transactionSend = (message: SipMessage, peer: Peer): void => {
    this.send(message, fromPeer(peer)).catch((err: unknown) => this.log.debug({ err, peer }, 'SIP send failed'));
  };

  /** Our address as `dest` must see it (Via sent-by, Contact), NAT-aware. */
  advertisedFor(dest: { transport: TransportProtocol; ip: string }): AdvertisedAddress {
    return this.transport.advertisedFor(dest);
  }

  /** Whether a Request-URI host names this box. */
  isOurHost(host: string): boolean {
    return this.ourHosts.has(normalizeIp(hostAddress(host)).toLowerCase());
  }

  registrations(extension: string): RegistrationView[] {
    return this.location.view(extension);
  }

  listBans(): Ban[] {
    return this.defence.listBans();
  }

  liftBan(key: string, by?: string): Ban | undefined {
    return this.defence.lift(key, by);
  }

  async stop(): Promise<void> {
    await this.laneWorkers?.stop();
    this.laneWorkers = null;
    this.defence.stop();
    this.location.stop();
    await this.transport.close();
  }

  private sourceOf(peer: Peer): SipSource {
    const c = this.current;
    if (c && c.ip === peer.address && c.port === peer.port) return c;
    const d = fromPeer(peer);
    return { ...d, localIp: '', localPort: 0 };
  }

  private onMessage(msg: SipMessage, source: SipSource): void {
    const isRequest = msg.kind === 'request';
    const gate = { ip: source.ip, isRequest, userAgent: isRequest ? msg.headers.get('User-Agent') : undefined, user: isRequest ? claimedUser(msg) : undefined };
    if (this.defence.admit(gate) === 'drop') return;
    if (msg.kind === 'response' && validateResponseForClient(msg) === 'drop') return;
    this.current = source;
    try {
      this.transactions.receive(msg, toPeer(source));
    } catch (err) {
      this.log.error({ err, ip: source.ip }, 'SIP message handling failed');
    } finally {
      this.current = undefined;
    }
  }

  /** Unparseable requests get a 400 when they can be answered (RFC 3261 8.2, RFC 4475); others are dropped. */
  private onMalformed(err: SipParseError, source: SipSource): void {
    const partial = err.partial;
    if (this.defence.admit({ ip: source.ip, isRequest: !!partial, userAgent: partial?.headers.get('User-Agent') }) === 'drop') return;
    if (!err.respondable || !partial || partial.method === 'ACK') return;
    try {
      stampReceived(partial, toPeer(source));
      const dest = fromPeer(responseDestination(getTopVia(partial), toPeer(source)));
      this.send(buildResponse(partial, err.status ?? 400, { reason: err.reason }), dest).catch(() => undefined);
    } catch {
      // a Via we cannot read: nowhere to answer
    }
  }

  private incoming(req: SipRequest, tx: ServerTransaction | undefined, source: SipSource): IncomingRequest {
    const sendResponse = (res: SipResponse): void => {
      if (tx) tx.respond(res);
    };
    return {
      request: req,
      source,
      transaction: tx,
      reply: (status, options = {}) => {
        const res = buildResponse(req, status, { toTag: newTag(this.random), ...options });
        sendResponse(res);
        return res;
      },
      sendResponse,
      authenticate: (kind = 'www') => {
        const out = this.auth.check(req, source, kind);
        if (!out.ok) sendResponse(buildResponse(req, out.status, { toTag: newTag(this.random), headers: out.headers }));
        return out;
      },
    };
  }

  private onRequest(req: SipRequest, tx: ServerTransaction | undefined, source: SipSource): void {
    const ctx = this.incoming(req, tx, source);
    if (!tx) {
      // An ACK for a 2xx: the dialog's business (the B2BUA's), never answered.
      this.hooks.onRequest?.(ctx);
      return;
    }
    const verdict = validateRequestForServer(req, { allowedMethods: ALLOWED_METHODS, supportedOptionTags: SUPPORTED_OPTION_TAGS, acceptedBodyTypes });
    if (verdict) return void ctx.reply(verdict.status, { reason: verdict.reason, headers: verdict.headers });
    if (req.method === 'REGISTER') return ctx.sendResponse(this.registrar.handle(req, source));
    if (req.method === 'INVITE' && this.hooks.onInvite) return this.hooks.onInvite(ctx);
    if (req.method !== 'INVITE' && this.handlers.some((h) => h(ctx))) return;
    if (req.method !== 'INVITE' && this.hooks.onRequest?.(ctx)) return;
    this.answerByDefault(ctx);
  }

  private onCancel(invite: InviteServerTransaction, cancel: SipRequest): void {
    if (this.hooks.onCancel) return this.hooks.onCancel(invite, cancel);
    // RFC 3261 9.2: "the UAS ... SHOULD then respond to the INVITE with a 487 (Request Terminated)".
    invite.respond(buildResponse(invite.request, 487, { toTag: invite.toTag ?? newTag(this.random) }));
  }

  /** What the box answers without a B2BUA hook taking the request. */
  private answerByDefault(ctx: IncomingRequest): void {
    const req = ctx.request;
    const inDialog = getTo(req).tag !== undefined;
    const uri = req.uri;
    const userless = isSipUri(uri) && !uri.user;
    // OPTIONS to the box itself (keep-alive pings of phones and trunks): 200 without authentication.
    if (req.method === 'OPTIONS' && userless && !inDialog) return void ctx.reply(200, { headers: capabilityHeaders() });
    // RFC 3261 12.2.2: no dialog to act in.
    if (inDialog) return void ctx.reply(481);
    // Unknown users and domains are only revealed to someone who authenticated (no enumeration).
    const auth = ctx.authenticate('www');
    if (!auth.ok) return;
    if (!isSipUri(uri) || !this.isOurHost(uri.host) || (uri.user !== undefined && !this.credentials.has(uri.user))) return void ctx.reply(404);
    if (req.method === 'OPTIONS') return void ctx.reply(200, { headers: capabilityHeaders() });
    ctx.reply(501);
  }
}

function capabilityHeaders(): Array<[string, string]> {
  return [
    ['Allow', ALLOWED_METHODS.join(', ')],
    ['Accept', 'application/sdp'],
    ['Supported', SUPPORTED_OPTION_TAGS.join(', ')],
  ];
}

/** The user a request claims: its Authorization username, else the To user of a REGISTER. */
function claimedUser(req: SipRequest): string | undefined {
  const auth = req.headers.get('Authorization') ?? req.headers.get('Proxy-Authorization');
  const m = auth ? /username\s*=\s*"([^"]*)"/i.exec(auth) : null;
  if (m) return m[1];
  if (req.method !== 'REGISTER') return undefined;
  try {
    const to = getTo(req).uri;
    return isSipUri(to) ? to.user : undefined;
  } catch {
    return undefined;
  }
}

/** A configured list of networks, or a clear configuration error naming the setting. */
function networks(list: string[], setting: string): BlockList {
  try {
    return cidrList(list);
  } catch (err) {
    throw new CcboxError('CCBOX_ERR_CONFIG', `${setting}: ${(err as Error).message}`);
  }
}

/** Bound addresses: configured, or bindHost (plus :: for a wildcard when the host has IPv6). */
export function bindHosts(c: Config): string[] {
  if (c.sipBindHosts.length) return c.sipBindHosts;
  if (c.bindHost !== '0.0.0.0') return [c.bindHost];
  const v6 = Object.values(os.networkInterfaces()).some((l) => l?.some((a) => a.family === 'IPv6'));
  return v6 ? ['0.0.0.0', '::'] : ['0.0.0.0'];
}

/** Boots the SIP stack: credentials loaded, transports listening. */
export async function startSip(opts: SipStackOptions): Promise<SipStack> {
  const stack = new SipStack(opts);
  try {
    await stack.start();
  } catch (err) {
    await stack.stop().catch(() => undefined);
    throw err;
  }
  return stack;
}
