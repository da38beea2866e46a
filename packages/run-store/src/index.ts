export { withTx, rows, sqlNameList, valuesList } from './sql';
export type { Queryable } from './sql';
export { OUTBOX_DELETE_INTERVAL_MS, OutboxDeletes, insertOutbox, outboxInsertSql, outboxParams, publishOutbox, relayOutboxOnce, startOutboxRelay } from './outbox';
export { OUTPUT_ROW, latestOutputsSql, loadOutputs, recordCaughtFailure } from './run-data';
export { insertStepRows, stepParams } from './step-writes';
export type { StepRow } from './step-writes';
export { GraphCache } from './graph-cache';
export { RunBus } from './bus';
export type { LiveEvent } from './bus';
