import { defineFunction } from '@weft/functions';
import { z } from 'zod';

/** Sums numbers in chunks, reporting progress (and a log line) after each chunk and stopping when cancelled. */
export default defineFunction({
  name: 'chunk_sum',
  description: 'Adds up a list of numbers in chunks, reporting progress.',
  args: z.object({ values: z.array(z.number()).max(1_000_000), chunkSize: z.number().int().min(1).default(1000) }),
  handler: async ({ values, chunkSize }, { progress, signal, log }) => {
    let total = 0;
    for (let i = 0; i < values.length; i += chunkSize) {
      signal.throwIfAborted();
      for (const v of values.slice(i, i + chunkSize)) total += v;
      progress({ done: Math.min(values.length, i + chunkSize), of: values.length });
      log(`added ${Math.min(values.length, i + chunkSize)} of ${values.length} values: running total ${total}`);
      await new Promise((r) => setImmediate(r));
    }
    return { total, count: values.length };
  },
});
