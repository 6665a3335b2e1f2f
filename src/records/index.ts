// Public face of records: the call record store (write with its outbox row, scoped reads), end statuses,
// retention, CSV export, and the WAV facts a record keeps about its recordings.
export type * from './record-types.ts';
export { END_STATUSES, END_STATUS_CODES, surveyStatusOf } from './record-types.ts';
export { RecordStore } from './record-store.ts';
export { endStatusOf, type EndFacts, type CallPhase } from './end-status.ts';
export { runRetention, loadRetention, saveRetention, retentionSchema, DEFAULT_RETENTION, type RetentionSettings, type RetentionResult } from './retention.ts';
export { csvExport, csvRow, CSV_HEADER, formatTime } from './csv-export.ts';
export { recordFileOf } from './wav-facts.ts';
