// Shapes of SIP phones and extensions (SIP 话机与内线号码) as the directory hands them out.

export type PhoneBinding =
  | { kind: 'agent'; id: number; name: string; staffNo: string | null }
  | { kind: 'skillGroup'; id: number; name: string };

export interface Phone {
  id: number;
  /** 4–6 digits, first digit 1–8. */
  extension: string;
  name: string;
  /** The SIP password, shown to site IT (it is typed into the phone or provisioned). */
  password: string;
  binding: PhoneBinding | null;
  createdAt: number;
  updatedAt: number;
}

/** What a binding is set to: an agent, a skill group, or nothing. */
export type BindingInput = { kind: 'agent'; id: number } | { kind: 'skillGroup'; id: number } | { kind: 'none' };

export interface NewPhone {
  extension: string;
  name: string;
  /** Omitted: a random password following the manual's rule is generated. */
  password?: string;
  binding?: BindingInput;
}

export interface PhonePatch {
  extension?: string;
  name?: string;
  binding?: BindingInput;
}

/** Credentials the registrar checks REGISTERs against, kept in memory. */
export interface PhoneCredential {
  phoneId: number;
  extension: string;
  password: string;
}

export type PhoneChange = { kind: 'upsert'; credential: PhoneCredential; previousExtension?: string } | { kind: 'delete'; extension: string };
