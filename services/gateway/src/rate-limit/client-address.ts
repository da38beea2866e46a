import { isIPv6 } from 'node:net';

/**
 * The partition of a client address: IPv4 as is, IPv6 by its /64 (one host usually holds a whole
 * /64, so a per-address bucket would be one per address it picks), IPv4-mapped IPv6 as IPv4.
 */
export function addressPartition(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  // An embedded IPv4 tail (e.g. ::1.2.3.4) sits in the last 32 bits, never in the /64.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
