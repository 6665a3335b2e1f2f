// The box's TLS certificate: the site's (CCBOX_TLS_CERT/KEY) or a self-signed one made at first boot,
// naming every local address so phones and browsers on the LAN can be told to trust it.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { CcboxError } from './errors.ts';
import { writeFileDurable } from './files.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  selfSigned: boolean;
  certFile: string;
}

function localAddresses(): string[] {
  const out = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) out.add(a.address.replace(/%.*$/, ''));
  return [...out];
}

export async function loadTls(dataDir: string, certFile: string | null, keyFile: string | null): Promise<TlsMaterial> {
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new CcboxError('CCBOX_ERR_CONFIG', 'set both CCBOX_TLS_CERT and CCBOX_TLS_KEY, or neither');
    for (const f of [certFile, keyFile]) if (!existsSync(f)) throw new CcboxError('CCBOX_ERR_CONFIG', `TLS file ${f} does not exist`);
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), selfSigned: false, certFile };
  }
  const dir = path.join(dataDir, 'tls');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  if (!existsSync(cert) || !existsSync(key)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const host = os.hostname();
    const pems = selfsigned.generate([{ name: 'commonName', value: `ccbox ${host}` }, { name: 'organizationName', value: 'ccbox' }], {
      days: 3650,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        {
          name: 'subjectAltName',
          altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: host }, ...localAddresses().map((ip) => ({ type: 7, ip }))],
        },
      ],
    });
    await writeFileDurable(key, pems.private, 0o600);
    await writeFileDurable(cert, pems.cert, 0o644);
  }
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), selfSigned: true, certFile: cert };
}
