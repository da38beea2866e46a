import ipaddr from 'ipaddr.js';

/**
 * Which resolved addresses outgoing HTTP may reach. Everything that is not plain public unicast
 * is refused (loopback, private, link-local incl. 169.254.169.254 metadata, CGNAT, unique-local,
 * multicast, reserved, IPv4-mapped IPv6 of any of those), unless an operator CIDR allows it.
 */
export class AddressPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowCidrs: string) {
    this.allowed = allowCidrs
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Undefined when allowed, else the reason it is refused. */
  check(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
    let ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    for (const [net, bits] of this.allowed) {
      if (net.kind() === ip.kind() && ip.match([net, bits] as never)) return undefined;
    }
    const range = ip.range();
    return range === 'unicast' ? undefined : `${address} is a ${range} address`;
  }
}
