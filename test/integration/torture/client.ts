// Runs inside the test's loopback-only namespace: sends the RFC 4475 messages to the box over UDP and
// records what it answers, then feeds it seeded mutations, then checks OPTIONS is still answered.
// Prints one JSON object on stdout.
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, portArg, fuzzArg] = process.argv.slice(2);
const port = Number(portArg);
const FUZZ = Number(fuzzArg ?? 100_000);
const sock = dgram.createSocket('udp4');
// Responses go to the Via's sent-by port (5060 by default) at the received address (RFC 3261 18.2.2), so the
// client listens where the torture messages' Vias say they came from.
await new Promise<void>((r) => sock.bind(5060, '127.0.0.1', r));
let waiting: ((b: Buffer) => void) | null = null;
sock.on('message', (b) => waiting?.(b));

function ask(msg: Buffer, timeoutMs: number, callId?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => ((waiting = null), resolve(null)), timeoutMs);
    waiting = (b) => {
      const line = b.toString('latin1').split('\r\n')[0] ?? '';
      if (!line.startsWith('SIP/2.0 1') && (!callId || b.includes(callId))) {
        clearTimeout(t);
        waiting = null;
        resolve(line);
      }
    };
    sock.send(msg, port, '127.0.0.1');
  });
}

const answers: Record<string, string | null> = {};
const files = readdirSync(dir).filter((f) => f.endsWith('.dat')).sort();
for (const f of files) {
  const bytes = readFileSync(path.join(dir, f));
  // Match the answer by Call-ID: INVITE challenges are retransmitted (timer G) and would leak into the next ask.
  const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(bytes.toString('latin1'))?.[1];
  answers[f] = await ask(bytes, 400, callId);
}

// Seeded mutations (xorshift): byte flips, truncations, duplicated and dropped lines, random splices.
let s = 0x4475 >>> 0;
const rnd = (): number => {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return s / 0x100000000;
};
const options = (i: number): Buffer =>
  Buffer.from(
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bKfz${i};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:fuzz@127.0.0.1>;tag=f${i}\r\nTo: <sip:127.0.0.1>\r\nCall-ID: fuzz-${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
  );
const corpus = [...files.map((f) => readFileSync(path.join(dir, f))), options(0)];
function mutate(src: Buffer): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) for (let k = 0; k < 1 + rnd() * 8; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
  if (kind === 1) return b.subarray(0, Math.floor(rnd() * b.length));
  if (kind === 2 || kind === 3) {
    const lines = b.toString('latin1').split('\r\n');
    const i = Math.floor(rnd() * lines.length);
    if (kind === 2) lines.splice(i, 0, lines[i] ?? '');
    else lines.splice(i, 1);
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }
  if (kind === 4) {
    const other = corpus[Math.floor(rnd() * corpus.length)]!;
    const at = Math.floor(rnd() * b.length);
    return Buffer.concat([b.subarray(0, at), other.subarray(Math.floor(rnd() * other.length))]);
  }
  return b;
}
const t0 = Date.now();
for (let i = 0; i < FUZZ; i++) {
  sock.send(mutate(corpus[i % corpus.length]!), port, '127.0.0.1');
  // Pace the sender so the kernel's socket buffer, not the box, is never the one dropping.
  if (i % 200 === 199) await new Promise((r) => setTimeout(r, 2));
}
const fuzzMs = Date.now() - t0;
let alive: string | null = null;
for (let i = 1; i <= 20 && !alive?.startsWith('SIP/2.0 200'); i++) alive = await ask(options(1_000_000 + i), 1000, `fuzz-${1_000_000 + i}`);
console.log(JSON.stringify({ answers, fuzz: FUZZ, fuzzMs, alive }));
sock.close();
