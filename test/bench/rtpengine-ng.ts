// rtpengine's ng control protocol, minimally: bencode, and requests over UDP ("<cookie> <dict>")
// with a deadline, for the media benchmark's reference relay (offer, answer, delete, ping).
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

export type Bencodable = string | number | Bencodable[] | { [k: string]: Bencodable };

export function bencode(v: Bencodable): Buffer {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k]!)]), Buffer.from('e')]);
}

export function bdecode(buf: Buffer): Bencodable {
  let i = 0;
  const next = (): Bencodable => {
    const c = buf[i]!;
    if (c === 0x69) { // i
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 0x6c) { // l
      i++;
      const out: Bencodable[] = [];
      while (buf[i] !== 0x65) out.push(next());
      i++;
      return out;
    }
    if (c === 0x64) { // d
      i++;
      const out: Record<string, Bencodable> = {};
      while (buf[i] !== 0x65) {
        const k = next() as string;
        out[k] = next();
      }
      i++;
      return out;
    }
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) throw new Error('bad bencode');
    const len = Number(buf.subarray(i, colon).toString());
    const s = buf.subarray(colon + 1, colon + 1 + len).toString('utf8');
    i = colon + 1 + len;
    return s;
  };
  return next();
}

export class NgClient {
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<string, { resolve: (v: Record<string, Bencodable>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly host: string, private readonly port: number) {
    this.socket.on('message', (msg) => {
      const sp = msg.indexOf(0x20);
      const cookie = msg.subarray(0, sp).toString();
      const p = this.pending.get(cookie);
      if (!p) return;
      this.pending.delete(cookie);
      clearTimeout(p.timer);
      const body = bdecode(msg.subarray(sp + 1)) as Record<string, Bencodable>;
      if (body.result === 'error') p.reject(new Error(`rtpengine: ${String(body['error-reason'])}`));
      else p.resolve(body);
    });
  }

  request(dict: Record<string, Bencodable>, timeoutMs = 5000): Promise<Record<string, Bencodable>> {
    const cookie = randomBytes(8).toString('hex');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cookie);
        reject(new Error(`rtpengine ${String(dict.command)} timed out`));
      }, timeoutMs);
      this.pending.set(cookie, { resolve, reject, timer });
      this.socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(dict)]), this.port, this.host);
    });
  }

  close(): void {
    this.socket.close();
  }
}
