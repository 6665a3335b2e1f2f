// The phones' SIP credentials in memory, loaded at start and kept current from the directory's change
// events, so a REGISTER never waits on the database and known and unknown users cost the same.
import type { PhoneChange, PhoneCredential } from '../../directory/phone-types.ts';
import { hashUsername, type DigestAlgorithm } from '../core/index.ts';

export class CredentialTable {
  private readonly byExtension = new Map<string, PhoneCredential>();
  /** RFC 7616 3.4.4 hashed usernames per hash function and realm, built on first use, dropped on change. */
  private readonly byHash = new Map<string, Map<string, string>>();
  /** Told of every change after it is applied (the lane workers' copies follow it). */
  private readonly listeners: Array<(change: PhoneChange) => void> = [];

  onChange(fn: (change: PhoneChange) => void): void {
    this.listeners.push(fn);
  }

  load(list: PhoneCredential[]): void {
    this.byExtension.clear();
    this.byHash.clear();
    for (const c of list) this.byExtension.set(c.extension, c);
  }

  apply(change: PhoneChange): void {
    this.byHash.clear();
    if (change.kind === 'delete') this.byExtension.delete(change.extension);
    else {
      if (change.previousExtension) this.byExtension.delete(change.previousExtension);
      this.byExtension.set(change.credential.extension, change.credential);
    }
    for (const fn of this.listeners) fn(change);
  }

  /** Every credential (a copy of the table, e.g. for a lane worker). */
  list(): PhoneCredential[] {
    return [...this.byExtension.values()];
  }

  passwordOf(extension: string): string | undefined {
    return this.byExtension.get(extension)?.password;
  }

  has(extension: string): boolean {
    return this.byExtension.has(extension);
  }

  /** The extension whose H(extension ":" realm) is `hash` (userhash=true credentials), if any. */
  userByHash(algorithm: DigestAlgorithm, realm: string, hash: string): string | undefined {
    const fn = algorithm.replace(/-sess$/, '');
    const key = `${fn}|${realm}`;
    let table = this.byHash.get(key);
    if (!table) {
      table = new Map([...this.byExtension.keys()].map((ext) => [hashUsername(fn as DigestAlgorithm, ext, realm), ext]));
      this.byHash.set(key, table);
    }
    return table.get(hash.toLowerCase());
  }
}
