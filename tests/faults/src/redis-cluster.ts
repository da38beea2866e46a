import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_SERVER, sleep } from './infra';

/** The `redis-cli` binary on PATH (Debian package redis-tools), or undefined. */
export const REDIS_CLI = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).stdout.trim() || undefined;

/** Why a real Redis Cluster cannot be started here, or undefined when it can. */
export function clusterPrerequisiteMissing(): string | undefined {
  if (!REDIS_SERVER) return 'redis-server is not on PATH: the Redis Cluster tests start their own nodes (apt-get install redis-server)';
  if (!REDIS_CLI) return 'redis-cli is not on PATH: the Redis Cluster tests create the cluster with it (apt-get install redis-tools)';
  const version = /v=(\d+)\./.exec(spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).stdout)?.[1];
  if (!version || Number(version) < 7) return `redis-server ${version ?? '?'} is too old: the Redis Cluster tests need Redis 7 or later`;
  return undefined;
}

/** One redis-server of the cluster. */
export interface ClusterNode {
  port: number;
  url: string;
  process: ChildProcess | undefined;
}

/** A node's place in the cluster now, from CLUSTER NODES. */
export interface NodeRole {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master a replica follows. */
  masterId: string | undefined;
  failed: boolean;
}

/**
 * A real Redis Cluster on loopback: `masters` masters with one replica each, each a
 * `redis-server --cluster-enabled yes` process of this test (no persistence, noeviction, a
 * 2-second node timeout so a dead master is replaced within seconds), created with
 * `redis-cli --cluster create`. The test may kill nodes and fail shards over; `stop` ends every
 * process and removes the directory.
 */
export class RedisCluster {
  private constructor(
    readonly nodes: ClusterNode[],
    private readonly dir: string,
  ) {
    running.add(this);
  }

  /** Seed URLs for REDIS_CLUSTER_NODES. */
  get seeds(): string[] {
    return this.nodes.map((n) => n.url);
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const missing = clusterPrerequisiteMissing();
    if (missing) throw new Error(missing);
    const dir = mkdtempSync(join(tmpdir(), 'weft-redis-cluster-'));
    const ports = await clusterPorts(masters * 2);
    const cluster = new RedisCluster(
      ports.map((port) => ({ port, url: `redis://127.0.0.1:${port}`, process: undefined })),
      dir,
    );
    try {
      await Promise.all(cluster.nodes.map((n) => cluster.startNode(n)));
      const create = spawnSync(REDIS_CLI!, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout.slice(-1000)} ${create.stderr}`);
      await cluster.waitHealthy(60_000, { replicas: masters });
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Starts (or restarts, empty) one node's redis-server and waits until it answers. */
  async startNode(n: ClusterNode): Promise<void> {
    n.process = spawn(
      REDIS_SERVER!,
      [
        '--port', String(n.port), '--bind', '127.0.0.1', '--protected-mode', 'no',
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${n.port}.conf`, '--cluster-node-timeout', '2000',
        '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', this.dir,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      if ((await this.ask(n.port, 'PING').catch(() => '')) === 'PONG') return;
      if (i > 200) throw new Error(`redis-server on port ${n.port} did not start`);
      await sleep(50);
    }
  }

  /** SIGKILL of one node (a master dies without a word). */
  async kill(port: number): Promise<void> {
    const n = this.node(port);
    const c = n.process;
    n.process = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  /** Sends one command to one node on a connection of its own. */
  async ask(port: number, ...command: string[]): Promise<string> {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return String(await r.call(command[0]!, ...command.slice(1)));
    } finally {
      r.disconnect();
    }
  }

  /** Every node's role, as the node on `askPort` (a live one) sees it. */
  async roles(askPort?: number): Promise<NodeRole[]> {
    const port = askPort ?? this.nodes.find((n) => n.process)!.port;
    const text = await this.ask(port, 'CLUSTER', 'NODES');
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, master] = line.split(' ');
        return {
          id: id!,
          port: Number(/:(\d+)@/.exec(address!)?.[1]),
          role: flags!.includes('master') ? ('master' as const) : ('replica' as const),
          masterId: master === '-' ? undefined : master,
          failed: flags!.includes('fail'),
        };
      });
  }

  /** The port of the master serving the slot of `key` now. */
  async masterOf(key: string): Promise<number> {
    const port = this.nodes.find((n) => n.process)!.port;
    const slot = Number(await this.ask(port, 'CLUSTER', 'KEYSLOT', key));
    const range = (await this.slots(port)).find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no node serves slot ${slot}`);
    return range[2][1];
  }

  /** A live replica of the master on `port`. */
  async replicaOf(port: number): Promise<number> {
    const roles = await this.roles();
    const master = roles.find((r) => r.port === port && r.role === 'master');
    const replica = roles.find((r) => r.role === 'replica' && r.masterId === master?.id && !r.failed);
    if (!replica) throw new Error(`the master on port ${port} has no live replica`);
    return replica.port;
  }

  /**
   * Waits until every live node reports cluster_state:ok and sees every slot served by a live
   * master (after a failover: the replica took over), and, with `replicas`, that many replicas
   * attached and in sync as every node sees it.
   */
  async waitHealthy(timeoutMs: number, o: { replicas?: number } = {}): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const why = await this.unhealthy(o.replicas ?? 0).catch((err: unknown) => (err as Error).message);
      if (!why) return;
      if (Date.now() > until) throw new Error(`Redis Cluster not healthy after ${timeoutMs} ms: ${why}`);
      await sleep(200);
    }
  }

  private async unhealthy(replicas: number): Promise<string> {
    const live = this.nodes.filter((n) => n.process);
    for (const n of live) {
      const seen = (await this.roles(n.port)).filter((r) => r.role === 'replica' && !r.failed).length;
      if (seen < replicas) return `node ${n.port} sees ${seen} of ${replicas} replicas`;
      const info = await this.ask(n.port, 'INFO', 'replication');
      if (info.includes('role:slave') && !info.includes('master_link_status:up')) return `replica ${n.port} not in sync with its master`;
    }
    for (const n of live) {
      const info = await this.ask(n.port, 'CLUSTER', 'INFO');
      if (!info.includes('cluster_state:ok')) return `node ${n.port}: ${/cluster_state:\S+/.exec(info)?.[0]}`;
      if (!info.includes('cluster_slots_ok:16384')) return `node ${n.port}: ${/cluster_slots_ok:\S+/.exec(info)?.[0]}`;
    }
    const livePorts = new Set(live.map((n) => n.port));
    for (const n of live) {
      const slots = (await this.slots(n.port)).filter(([, , [, port]]) => !livePorts.has(port));
      if (slots.length) return `node ${n.port} still routes slots ${slots[0]![0]}..${slots[0]![1]} to a dead node`;
    }
    return '';
  }

  private async slots(port: number): Promise<[number, number, [string, number]][]> {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    } finally {
      r.disconnect();
    }
  }

  private node(port: number): ClusterNode {
    const n = this.nodes.find((x) => x.port === port);
    if (!n) throw new Error(`no node on port ${port}`);
    return n;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n.port)));
    rmSync(this.dir, { recursive: true, force: true });
    running.delete(this);
  }

  /** Synchronous last resort when the test process exits with nodes still running. */
  killAllNow(): void {
    for (const n of this.nodes) n.process?.kill('SIGKILL');
  }
}

const running = new Set<RedisCluster>();
process.once('exit', () => {
  for (const c of running) c.killAllNow();
});

/**
 * Ports for cluster nodes: each node also listens on port + 10000 (the cluster bus), so both must
 * be free, and below 65536 (the kernel's ephemeral ports are too high for that).
 */
async function clusterPorts(count: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (out.includes(port) || out.includes(port + 10_000) || out.includes(port - 10_000)) continue;
    if ((await bindable(port)) && (await bindable(port + 10_000))) out.push(port);
  }
  return out;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
