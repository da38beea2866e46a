import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// In a child process: the test runner's own priority stays as it is.
const inChild = (code: string) => {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as unknown;
};

describe('lowerPriority', () => {
  it('lowers the process priority to the niceness asked, and never raises it again', () => {
    const result = inChild(`
      import { getPriority } from 'node:os';
      import { lowerPriority } from './src/nice.ts';
      const start = getPriority();
      const first = lowerPriority(start + 5);
      const second = lowerPriority(start);
      console.log(JSON.stringify({ start, first, second, now: getPriority() }));
    `) as { start: number; first: { nice: number }; second: { nice: number }; now: number };
    expect(result.first).toEqual({ nice: result.start + 5 });
    expect(result.second).toEqual({ nice: result.start + 5 });
    expect(result.now).toBe(result.start + 5);
  });
});
