import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pacedLoop, type LoadOptions, type LoadResult } from './http-load';

/** What a load process is asked to send: a paced loop whose every request has the same body. */
export type PacedRequest = Omit<LoadOptions, 'body'> & { ratePerSecond: number; body: unknown };

/**
 * A paced HTTP load in a process of its own: the load of one client must not share the event loop
 * of another client whose latency is measured (on one loop, a flood's callbacks delay the
 * measured answers and the latency measures the bench).
 */
export class LoadProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<LoadProcess> {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load process exited (${code}) during start`)));
    });
    return new LoadProcess(child);
  }

  /** Runs one paced loop in the process; answers its result. */
  run(req: PacedRequest): Promise<LoadResult> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as LoadResult));
      this.child.send(req);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

if (process.argv.includes('--child') && process.send) {
  process.on('message', (m) => {
    const req = m as PacedRequest;
    void pacedLoop({ ...req, body: () => req.body }).then((r) => process.send!(r));
  });
  process.send('ready');
}
