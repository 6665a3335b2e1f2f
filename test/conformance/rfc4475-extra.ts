// Transaction- and digest-level checks on RFC 4475 messages (filled in with those parts).
export function conformanceTransactionChecks(_badbranch: Buffer): void {}
export function conformanceDigestChecks(_regaut01: Buffer): void {}
