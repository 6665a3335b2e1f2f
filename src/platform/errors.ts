// Error classes with stable codes; the web layer maps them to HTTP responses and the SIP layer to statuses.

export type ErrorCode =
  | 'CCBOX_ERR_VALIDATION'
  | 'CCBOX_ERR_NOT_FOUND'
  | 'CCBOX_ERR_CONFLICT'
  | 'CCBOX_ERR_AUTH'
  | 'CCBOX_ERR_FORBIDDEN'
  | 'CCBOX_ERR_CSRF'
  | 'CCBOX_ERR_LOCKED'
  | 'CCBOX_ERR_RATE_LIMITED'
  | 'CCBOX_ERR_FORCED_OFFLINE'
  | 'CCBOX_ERR_GROUP_NOT_EMPTY'
  | 'CCBOX_ERR_ROLE_IN_USE'
  | 'CCBOX_ERR_SMTP_NOT_CONFIGURED'
  | 'CCBOX_ERR_MAIL_FAILED'
  | 'CCBOX_ERR_IMPORT'
  | 'CCBOX_ERR_CONFIG'
  | 'CCBOX_ERR_DB'
  | 'CCBOX_ERR_DB_CORRUPT'
  | 'CCBOX_ERR_TIMEOUT'
  | 'CCBOX_ERR_UNAVAILABLE'
  | 'CCBOX_ERR_INTERNAL';

const HTTP_STATUS: Record<ErrorCode, number> = {
  CCBOX_ERR_VALIDATION: 400,
  CCBOX_ERR_NOT_FOUND: 404,
  CCBOX_ERR_CONFLICT: 409,
  CCBOX_ERR_AUTH: 401,
  CCBOX_ERR_FORBIDDEN: 403,
  CCBOX_ERR_CSRF: 403,
  CCBOX_ERR_LOCKED: 429,
  CCBOX_ERR_RATE_LIMITED: 429,
  CCBOX_ERR_FORCED_OFFLINE: 403,
  CCBOX_ERR_GROUP_NOT_EMPTY: 409,
  CCBOX_ERR_ROLE_IN_USE: 409,
  CCBOX_ERR_SMTP_NOT_CONFIGURED: 409,
  CCBOX_ERR_MAIL_FAILED: 502,
  CCBOX_ERR_IMPORT: 422,
  CCBOX_ERR_CONFIG: 500,
  CCBOX_ERR_DB: 500,
  CCBOX_ERR_DB_CORRUPT: 500,
  CCBOX_ERR_TIMEOUT: 504,
  CCBOX_ERR_UNAVAILABLE: 503,
  CCBOX_ERR_INTERNAL: 500,
};

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export class CcboxError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly rows?: RowError[];
  constructor(code: ErrorCode, message: string, opts: { field?: string; rows?: RowError[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CcboxError';
    this.code = code;
    this.field = opts.field;
    this.rows = opts.rows;
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
  toJSON(): { code: ErrorCode; message: string; field?: string; rows?: RowError[] } {
    return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.rows ? { rows: this.rows } : {}) };
  }
}

export const validationError = (field: string, message: string): CcboxError =>
  new CcboxError('CCBOX_ERR_VALIDATION', message, { field });
export const notFound = (what: string): CcboxError => new CcboxError('CCBOX_ERR_NOT_FOUND', `${what} not found`);
export const conflict = (field: string, message: string): CcboxError => new CcboxError('CCBOX_ERR_CONFLICT', message, { field });
export const forbidden = (message = 'permission denied'): CcboxError => new CcboxError('CCBOX_ERR_FORBIDDEN', message);

/** A SIP-layer error carries the status and reason to answer with (drachtio's SipError). */
export class SipError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message?: string) {
    super(message ?? `${status} ${reason}`);
    this.name = 'SipError';
    this.status = status;
    this.reason = reason;
  }
}
