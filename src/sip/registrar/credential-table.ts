// The phones' SIP credentials in memory, loaded at start and kept current from the directory's change
// events, so a REGISTER never waits on the database and known and unknown users cost the same.
import type { PhoneChange, PhoneCredential } from '../../directory/phone-types.ts';

export class CredentialTable {
  private readonly byExtension = new Map<string, PhoneCredential>();

  load(list: PhoneCredential[]): void {
    this.byExtension.clear();
    for (const c of list) this.byExtension.set(c.extension, c);
  }

  apply(change: PhoneChange): void {
    if (change.kind === 'delete') this.byExtension.delete(change.extension);
    else {
      if (change.previousExtension) this.byExtension.delete(change.previousExtension);
      this.byExtension.set(change.credential.extension, change.credential);
    }
  }

  passwordOf(extension: string): string | undefined {
    return this.byExtension.get(extension)?.password;
  }

  has(extension: string): boolean {
    return this.byExtension.has(extension);
  }
}
