import { z } from 'zod';

/** What a registered function receives besides its arguments. */
export interface FunctionContext {
  /** The run context (inputs, upstream outputs, run ids) of the calling step. */
  run: { id: string; workflowId: string; input: unknown; steps: Record<string, { output: unknown }> };
  orgId: string;
  /** The user on whose behalf the run started, when known (API-key runs have none). */
  userId: string | null;
  /** Fired when the step is cancelled or times out: pass it to everything that waits. */
  signal: AbortSignal;
  /** Reports progress; each call reaches the live run view as a `step.progress` event. */
  progress(data: Record<string, unknown>): void;
  /**
   * Writes a line to the step's log (shown with the step in the run views, streamed live): masked
   * like outputs, at most 200 lines per attempt (then a "truncated" marker).
   */
  log(msg: string, data?: Record<string, unknown>, level?: 'debug' | 'info' | 'warn' | 'error'): void;
}

export interface RegisteredFunction<A extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  args: A;
  handler(args: z.infer<A>, ctx: FunctionContext): Promise<unknown> | unknown;
}

/** Declares a server-side function callable from `function` nodes. */
export function defineFunction<A extends z.ZodType>(fn: RegisteredFunction<A>): RegisteredFunction<A> {
  if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(fn.name)) throw new Error(`function name "${fn.name}" must match ^[a-z][a-z0-9_.-]{0,63}$`);
  return fn;
}

/** The catalog entry of a function: name, description, JSON Schema of its arguments. */
export function functionCatalogEntry(fn: RegisteredFunction) {
  return { name: fn.name, description: fn.description, argsSchema: z.toJSONSchema(fn.args, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> };
}
