import { describe, expect, it } from 'vitest';
import { publishTimeoutMs } from './workflows.service';

describe('publishTimeoutMs', () => {
  it('gives the publish transaction 10 s plus 2 s per started MiB of definition', () => {
    expect(publishTimeoutMs(1_000)).toBe(12_000);
    expect(publishTimeoutMs(1_048_576)).toBe(12_000);
    expect(publishTimeoutMs(1_048_577)).toBe(14_000);
    // bench fanout100k's definition (~20 MB): far from Prisma's default 5 s.
    expect(publishTimeoutMs(20 * 1_048_576)).toBe(50_000);
  });
});
