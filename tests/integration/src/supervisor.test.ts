import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Supervisor } from '../../../scripts/platform/supervisor';

// `npm start`'s supervisor with real child processes (node -e …) and short backoffs.
const node = (code: string) => () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, startWindowMs: 60_000, maxStartCrashes: 5 };

async function until(check: () => boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm start supervisor', () => {
  it('restarts a service killed with SIGKILL and says which one and why, without stopping the others', async () => {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    const sup = new Supervisor({ ...FAST, log: (l) => lines.push(l), onGiveUp: (name) => gaveUp.push(name) });
    const forever = node('setInterval(() => {}, 1000)');
    let starts = 0;
    sup.add('executor', () => {
      starts++;
      return forever();
    });
    sup.add('gateway', forever);
    await until(() => sup.processes().length === 2);
    const first = sup.processes().find((p) => p.name === 'executor')!.proc;
    const gateway = sup.processes().find((p) => p.name === 'gateway')!.proc;
    await until(() => first.pid !== undefined);
    first.kill('SIGKILL');
    await until(() => starts === 2 && sup.processes().some((p) => p.name === 'executor' && p.proc !== first));
    expect(lines[0]).toMatch(/^✖ executor exited \(killed by SIGKILL\) after [\d.]+ s; restarting it in 20 ms \(crash 1 of 5 allowed at start\)\.$/);
    expect(lines).toContain('↻ restarting executor');
    expect(gaveUp).toEqual([]);
    expect(sup.processes().find((p) => p.name === 'gateway')!.proc).toBe(gateway);
    sup.stop();
    for (const { proc } of sup.processes()) proc.kill('SIGKILL');
  });

  it('gives up on a service that keeps crashing at start (5 crashes within 60 s of starting), with growing backoff', async () => {
    const lines: string[] = [];
    let gaveUp: { name: string; reason: string } | undefined;
    const sup = new Supervisor({ ...FAST, log: (l) => lines.push(l), onGiveUp: (name, reason) => (gaveUp = { name, reason }) });
    let starts = 0;
    sup.add('orchestrator', () => {
      starts++;
      return node('process.exit(3)')();
    });
    await until(() => gaveUp !== undefined);
    expect(starts).toBe(5);
    expect(gaveUp!.name).toBe('orchestrator');
    expect(gaveUp!.reason).toMatch(/^orchestrator crashed 5 times in a row within 60 s of starting \(last: exit code 3 after [\d.]+ s\)$/);
    expect(lines.filter((l) => l.startsWith('✖ orchestrator exited')).map((l) => /restarting it in (\d+ ms)/.exec(l)![1])).toEqual(['20 ms', '40 ms', '80 ms', '100 ms']);
    // Nothing restarts it after giving up.
    await new Promise((r) => setTimeout(r, 300));
    expect(starts).toBe(5);
  });

  it('does not restart anything once stopped (Ctrl-C)', async () => {
    const lines: string[] = [];
    const sup = new Supervisor({ ...FAST, log: (l) => lines.push(l), onGiveUp: () => undefined });
    sup.add('studio', node('setInterval(() => {}, 1000)'));
    const { proc } = sup.processes()[0]!;
    sup.stop();
    proc.kill('SIGTERM');
    await new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toEqual([]);
    expect(sup.processes()).toEqual([]);
  });
});
