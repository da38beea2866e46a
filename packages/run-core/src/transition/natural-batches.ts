import { currentScope, inScope, scopeKey, type DbScope } from '@weft/db';

interface Waiting<I, O> {
  input: I;
  /** The caller's database scope (row-level security): its batch runs in it. */
  scope: DbScope | undefined;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Natural batching: inputs that arrive while a batch is being handled go together in the next
 * one (a batch of one when idle, larger under load, never a timer), up to `maxBatch`. With `keyOf`,
 * two inputs of one key never share a batch: the later one waits for the next. `handle` answers
 * one output per input, in order; if it throws, every input of the batch gets the error.
 *
 * A batch holds the inputs of ONE database scope (`withOrg`'s org, see @weft/db) and `handle` runs
 * in it: callers acting for org A and org B never share a statement, so row-level security binds
 * a batch as it binds each caller (a batch run in A's scope would silently miss B's rows). The
 * oldest input's scope makes the batch; inputs of other scopes keep their place for the next.
 */
export class NaturalBatches<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private busy = false;

  constructor(
    private readonly handle: (batch: I[]) => Promise<O[]>,
    private readonly opts: { maxBatch: number; keyOf?: (input: I) => string },
  ) {}

  /** Whether a batch is being handled or inputs wait for the next. */
  get active(): boolean {
    return this.busy || this.waiting.length > 0;
  }

  add(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, scope: currentScope(), resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.take();
        try {
          const outputs = await inScope(batch[0]!.scope, () => this.handle(batch.map((w) => w.input)));
          batch.forEach((w, i) => w.resolve(outputs[i]!));
        } catch (err) {
          batch.forEach((w) => w.reject(err));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Up to `maxBatch` waiting inputs of the oldest one's scope, one per key, oldest first; the others keep their place. */
  private take(): Waiting<I, O>[] {
    const { maxBatch, keyOf } = this.opts;
    const scope = scopeKey(this.waiting[0]!.scope);
    const keys = new Set<string>();
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const w of this.waiting) {
      const key = keyOf?.(w.input);
      if (batch.length < maxBatch && scopeKey(w.scope) === scope && (key === undefined || !keys.has(key))) {
        if (key !== undefined) keys.add(key);
        batch.push(w);
      } else rest.push(w);
    }
    this.waiting = rest;
    return batch;
  }
}
