import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Which of `pids` holds the loopback TCP connection whose client side is `clientPort` and whose
 * server side is `serverPort` (Linux /proc): the process that sent a request the test server sees.
 */
export function socketOwner(clientPort: number, serverPort: number, pids: readonly number[]): number | undefined {
  const inode = socketInode(clientPort, serverPort);
  if (!inode) return undefined;
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

function socketInode(clientPort: number, serverPort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = parseInt(cols[1]!.split(':').pop()!, 16);
      const remote = parseInt(cols[2]!.split(':').pop()!, 16);
      if (local === clientPort && remote === serverPort && cols[9] !== '0') return cols[9];
    }
  }
  return undefined;
}
