import { execFileSync } from 'node:child_process';

/**
 * Hosts on one machine: each a Linux network namespace with one veth link to a bridge that lives
 * in a namespace of its own (the switch), addresses in a private /24 that exist only inside those
 * namespaces, plus one link from the test runner's own namespace (the `.254` address, where the
 * test's clients and its apply server sit). Cutting a host sets its switch port down: a pulled cable,
 * a real partition for every connection it holds (Postgres, Redis, HTTP).
 *
 * Names carry the creating process's pid (`wso-<pid>-…`, links `wso<pid>…`), so a later run removes
 * what a killed one left behind (`removeLeftovers`). Nothing outside the machine is ever addressed.
 */
export interface Host {
  name: string;
  /** The namespace (`ip netns exec <ns> …`). */
  ns: string;
  address: string;
  /** The host's port on the bridge, in the switch namespace: down = cut off. */
  port: string;
}

const PREFIX = 'wso';

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Deletes the namespaces (and what still runs in them) and runner links of earlier runs whose process is gone. */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    const m = /^wso-(\d+)-/.exec(ns);
    if (m && !alive(Number(m[1]))) {
      // Services an earlier run started there and could not stop (it was killed) go first.
      for (const pid of ip('netns', 'pids', ns).split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      ip('netns', 'del', ns);
      removed.push(ns);
    }
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const m = /^\d+: (wso(\d+)r)[@:]/.exec(line);
    if (m && !alive(Number(m[2]))) {
      ip('link', 'del', m[1]!);
      removed.push(m[1]!);
    }
  }
  return removed;
}

/** A free 10.213.X.0/24 (X random, not on any link of this namespace). */
function pickSubnet(): string {
  const used = ip('-o', '-4', 'addr', 'show');
  for (let i = 0; i < 50; i++) {
    const x = 1 + Math.floor(Math.random() * 250);
    if (!used.includes(` 10.213.${x}.`)) return `10.213.${x}`;
  }
  throw new Error('no free 10.213.X.0/24 subnet');
}

export class Topology {
  readonly hosts = new Map<string, Host>();
  readonly subnet: string;
  /** The test runner's address on the bridge. */
  readonly runnerAddress: string;
  private readonly tag = `${PREFIX}-${process.pid}`;
  private readonly switchNs: string;
  private readonly runnerLink = `${PREFIX}${process.pid}r`;
  private created: string[] = [];

  private constructor() {
    this.subnet = pickSubnet();
    this.runnerAddress = `${this.subnet}.254`;
    this.switchNs = `${this.tag}-switch`;
  }

  /** The switch (a bridge in its own namespace) and the runner's link to it. */
  static create(): Topology {
    const t = new Topology();
    try {
      t.addNs(t.switchNs);
      ip('-n', t.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', t.switchNs, 'link', 'set', 'br0', 'up');
      ip('link', 'add', t.runnerLink, 'type', 'veth', 'peer', 'name', `${t.runnerLink}p`);
      ip('link', 'set', `${t.runnerLink}p`, 'netns', t.switchNs);
      ip('-n', t.switchNs, 'link', 'set', `${t.runnerLink}p`, 'master', 'br0', 'up');
      ip('addr', 'add', `${t.runnerAddress}/24`, 'dev', t.runnerLink);
      ip('link', 'set', t.runnerLink, 'up');
    } catch (err) {
      t.destroy();
      throw err;
    }
    return t;
  }

  /** A new host (namespace) at `<subnet>.<octet>`, linked to the switch. */
  addHost(name: string, octet: number): Host {
    const ns = `${this.tag}-${name}`;
    const link = `${PREFIX}${process.pid}h${octet}`;
    const port = `${PREFIX}${process.pid}p${octet}`;
    const address = `${this.subnet}.${octet}`;
    this.addNs(ns);
    ip('link', 'add', link, 'type', 'veth', 'peer', 'name', port);
    ip('link', 'set', link, 'netns', ns);
    ip('link', 'set', port, 'netns', this.switchNs);
    ip('-n', this.switchNs, 'link', 'set', port, 'master', 'br0', 'up');
    ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', link);
    ip('-n', ns, 'link', 'set', link, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    const host = { name, ns, address, port };
    this.hosts.set(name, host);
    return host;
  }

  host(name: string): Host {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }

  /** Link down (true) or up (false) at the host's switch port. */
  cut(host: Host, off: boolean): void {
    ip('-n', this.switchNs, 'link', 'set', host.port, off ? 'down' : 'up');
  }

  /** `ip netns exec <ns>`: the prefix of a command run on that host. */
  exec(host: Host): string[] {
    return ['ip', 'netns', 'exec', host.ns];
  }

  /** Removes every namespace and link it created (their veths go with them). Never throws. */
  destroy(): void {
    try {
      ip('link', 'del', this.runnerLink);
    } catch {
      // not created, or already gone
    }
    for (const ns of this.created.reverse()) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
    this.created = [];
  }

  private addNs(ns: string) {
    ip('netns', 'add', ns);
    this.created.push(ns);
  }
}
