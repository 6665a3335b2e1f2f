// A REGISTER lane worker (a worker thread): reads the SIP UDP socket through its own descriptor of it,
// does the pure half of the lane for plain REGISTERs — read, digest hashes, write the answer and send it
// from the same address and port — and passes the rest to the main thread: each REGISTER's job for
// RegisterLane.decide (defences, remembered answers, replay check, registrar), and every other datagram as
// received. Jobs and datagrams go in one message per turn of the event loop.
import dgram from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { isKeepAlive } from '../core/index.ts';
import { literalLookup, normalizeIp, type SipSource } from '../transport/index.ts';
import { CredentialTable } from './credential-table.ts';
import { DigestVerifier } from './digest-verifier.ts';
import { answerBytes, readPlainRegister, type PlainRead } from './lane-plain.ts';
import type { FromLaneWorker, LaneWorkerData, ToLaneWorker } from './lane-workers.ts';

const port = parentPort!;
const data = workerData as LaneWorkerData;
const table = new CredentialTable();
table.load(data.credentials);
const verifier = new DigestVerifier({
  realm: data.realm, key: data.key, nonceTtlMs: data.nonceTtlMs,
  passwordOf: (u) => table.passwordOf(u), userByHash: (alg, realm, hash) => table.userByHash(alg, realm, hash),
});

interface Bound { socket: dgram.Socket; ip: string; port: number }
const pending = new Map<number, { read: PlainRead; bound: Bound }>();
/**
 * Datagrams passed back and not yet handled by the main thread. Past the limit new ones are dropped, as a
 * full socket buffer would drop them: without it a flood would queue without bound in front of the main
 * thread (and ahead of everything else it reads) instead of being shed.
 */
let backlog = 0;
const MAX_BACKLOG = 1024;
const MAX_PENDING = 4096;
let nextId = 1;
let batch: Extract<FromLaneWorker, { t: 'batch' }> | null = null;

function queued(): Extract<FromLaneWorker, { t: 'batch' }> {
  if (!batch) {
    batch = { t: 'batch', jobs: [], datagrams: [] };
    setImmediate(() => {
      const b = batch!;
      batch = null;
      port.postMessage(b);
    });
  }
  return batch;
}

function onDatagram(bound: Bound, bytes: Buffer, rinfo: dgram.RemoteInfo): void {
  const source: SipSource = { transport: 'udp', ip: normalizeIp(rinfo.address), port: rinfo.port, localIp: bound.ip, localPort: bound.port };
  const read = bytes.length <= data.maxMessageBytes && !isKeepAlive(bytes) ? readPlainRegister(bytes, source) : undefined;
  if (!read) {
    if (backlog >= MAX_BACKLOG) return;
    backlog++;
    queued().datagrams.push([bytes, source]);
    return;
  }
  if (pending.size >= MAX_PENDING) return;
  const id = nextId++;
  pending.set(id, { read, bound });
  queued().jobs.push([id, read.job, verifier.verify(read.credentials, 'REGISTER', Date.now())]);
}

let listening = 0;
const sockets: Bound[] = data.sockets.map((s) => {
  const socket = dgram.createSocket({ type: s.type, lookup: literalLookup });
  const bound: Bound = { socket, ip: s.ip, port: s.port };
  socket.on('message', (bytes, rinfo) => onDatagram(bound, bytes, rinfo));
  socket.on('error', (err) => port.postMessage({ t: 'error', message: `lane worker socket ${s.ip}:${s.port}: ${err.message}` } satisfies FromLaneWorker));
  socket.bind({ fd: s.fd }, () => {
    if (++listening === data.sockets.length) port.postMessage({ t: 'ready' } satisfies FromLaneWorker);
  });
  return bound;
});

port.on('message', (m: ToLaneWorker) => {
  if (m.t === 'verdicts') {
    backlog -= m.handled;
    for (const [id, verdict] of m.items) {
      const p = pending.get(id);
      if (!p) continue;
      pending.delete(id);
      if ('drop' in verdict) continue;
      const { bytes, dest } = answerBytes(p.read, verdict);
      p.bound.socket.send(bytes, dest.port, dest.ip);
    }
  } else if (m.t === 'credential') {
    table.apply(m.change);
  } else if (m.t === 'stop') {
    let open = sockets.length;
    if (open === 0) port.postMessage({ t: 'stopped' } satisfies FromLaneWorker);
    for (const s of sockets) s.socket.close(() => --open === 0 && port.postMessage({ t: 'stopped' } satisfies FromLaneWorker));
  }
});
