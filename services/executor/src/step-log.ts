import { newId } from '@weft/db';
import type { StepLogLine } from '@weft/run-store';

/** How many lines one step attempt keeps; the rest is counted in a "truncated" marker line. */
export const STEP_LOG_MAX_LINES = 200;
/** Longest message kept, in characters (a longer one ends with "…"). */
export const STEP_LOG_MAX_MSG = 2_000;

export type StepLogLevel = StepLogLine['level'];

/** What processors and functions write a step's log lines with. */
export type StepLogWrite = (level: StepLogLevel, msg: string, data?: Record<string, unknown>) => void;

export interface StepLogOptions {
  /** Masks the step's secrets (and their encoded forms) in every line, as outputs are masked. */
  mask: <T>(value: T) => T;
  /** Each line kept, as it is said (the live run view). */
  onLine?: (line: StepLogLine) => void;
  maxLines?: number;
}

/**
 * The log lines of one step attempt, kept in memory and written to run_logs with the step's
 * completion (same statement: no round trip of their own). Masked when said, capped per attempt
 * with a marker saying how many lines were dropped; nothing is kept after `close`.
 */
export class StepLog {
  private readonly lines: StepLogLine[] = [];
  private dropped = 0;
  private closed = false;
  private readonly maxLines: number;

  constructor(private readonly o: StepLogOptions) {
    this.maxLines = o.maxLines ?? STEP_LOG_MAX_LINES;
  }

  readonly write: StepLogWrite = (level, msg, data) => {
    if (this.closed) return;
    if (this.lines.length >= this.maxLines) {
      this.dropped++;
      return;
    }
    const text = msg.length > STEP_LOG_MAX_MSG ? `${msg.slice(0, STEP_LOG_MAX_MSG)}…` : msg;
    const line: StepLogLine = { id: newId(), ts: new Date().toISOString(), level, msg: this.o.mask(text), ...(data ? { data: this.o.mask(data) } : {}) };
    this.lines.push(line);
    this.o.onLine?.(line);
  };

  /** The lines to write, with the truncation marker when some were dropped; later lines are ignored. */
  close(): StepLogLine[] {
    if (!this.closed && this.dropped > 0) {
      this.lines.push({ id: newId(), ts: new Date().toISOString(), level: 'warn', msg: `log truncated: ${this.dropped} more line(s) not kept (at most ${this.maxLines} per step attempt)`, data: { truncated: true, dropped: this.dropped } });
    }
    this.closed = true;
    return this.lines;
  }
}
