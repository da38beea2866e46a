import { asMaintenance, currentScope, scopeKey, withOrg } from '@weft/db';
import { describe, expect, it } from 'vitest';
import { NaturalBatches } from './natural-batches';

/** A handler whose batches the test ends one at a time, recording each batch. */
function handler() {
  const batches: string[][] = [];
  const ends: (() => void)[] = [];
  const handle = (batch: string[]) => {
    batches.push(batch);
    return new Promise<string[]>((resolve) => ends.push(() => resolve(batch.map((x) => `${x}!`))));
  };
  const endNext = async () => {
    while (ends.length === 0) await new Promise((r) => setImmediate(r));
    ends.shift()!();
  };
  return { batches, handle, endNext };
}

describe('NaturalBatches', () => {
  it('says it is active while a batch is handled or inputs wait, and idle once they are answered', async () => {
    const h = handler();
    const b = new NaturalBatches(h.handle, { maxBatch: 10 });
    expect(b.active).toBe(false);
    const first = b.add('a');
    const later = b.add('b');
    expect(b.active).toBe(true);
    await h.endNext();
    await first;
    expect(b.active).toBe(true); // 'b' is being handled
    await h.endNext();
    await later;
    expect(b.active).toBe(false);
  });

  it('handles an input alone when idle, and the inputs that arrive meanwhile together in the next batch', async () => {
    const h = handler();
    const b = new NaturalBatches(h.handle, { maxBatch: 10 });
    const first = b.add('a');
    const later = [b.add('b'), b.add('c')];
    await h.endNext();
    await h.endNext();
    expect(await first).toBe('a!');
    expect(await Promise.all(later)).toEqual(['b!', 'c!']);
    expect(h.batches).toEqual([['a'], ['b', 'c']]);
  });

  it('never puts two inputs of one key in one batch: the later one waits for the next batch, keeping its place', async () => {
    const h = handler();
    const b = new NaturalBatches(h.handle, { maxBatch: 10, keyOf: (x: string) => x[0]! });
    const all = [b.add('r1'), b.add('r2'), b.add('s1'), b.add('r3')];
    await h.endNext(); // [r1]
    await h.endNext(); // [r2, s1]
    await h.endNext(); // [r3]
    expect(await Promise.all(all)).toEqual(['r1!', 'r2!', 's1!', 'r3!']);
    expect(h.batches).toEqual([['r1'], ['r2', 's1'], ['r3']]);
  });

  it('gives every input of a batch the error its handler threw, and goes on with the next batch', async () => {
    let calls = 0;
    const b = new NaturalBatches(async (batch: string[]) => {
      if (++calls === 1) throw new Error('boom');
      return batch;
    }, { maxBatch: 10 });
    const failed = b.add('a');
    const next = b.add('b');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('b');
  });

  it('batches only the inputs of one database scope, and runs each batch in its inputs’ scope (row-level security)', async () => {
    const [orgA, orgB] = ['0193a000-0000-7000-8000-00000000000a', '0193a000-0000-7000-8000-00000000000b'];
    const seen: string[] = [];
    const h = handler();
    const b = new NaturalBatches((batch: string[]) => {
      seen.push(scopeKey(currentScope()));
      return h.handle(batch);
    }, { maxBatch: 10 });
    const all = [
      withOrg(orgA, () => b.add('a1')),
      withOrg(orgB, () => b.add('b1')),
      withOrg(orgA, () => b.add('a2')),
      withOrg(orgB, () => b.add('b2')),
      asMaintenance(() => b.add('m1')),
      withOrg(orgA, () => b.add('a3')),
    ];
    for (let i = 0; i < 4; i++) await h.endNext();
    expect(await Promise.all(all)).toEqual(['a1!', 'b1!', 'a2!', 'b2!', 'm1!', 'a3!']);
    // The first batch runs alone (idle); the others wait and go by scope, oldest scope first.
    expect(h.batches).toEqual([['a1'], ['b1', 'b2'], ['a2', 'a3'], ['m1']]);
    expect(seen).toEqual([`org:${orgA}`, `org:${orgB}`, `org:${orgA}`, 'maintenance']);
  });
});
