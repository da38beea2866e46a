import ipaddr from 'ipaddr.js';

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** Where global IPv6 unicast lives (RFC 4291); anything outside it is not a public host. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** NAT64 well-known prefix (RFC 6052): the last 32 bits are an IPv4 address reached through a translator. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * Which resolved addresses outgoing requests may reach. Only public unicast is allowed:
 * loopback, private, link-local (incl. the 169.254.169.254 metadata address), CGNAT,
 * unspecified (0.0.0.0, ::), broadcast, multicast and reserved IPv4 ranges are refused; for
 * IPv6 everything outside 2000::/3 (::1, fc00::/7 unique-local, fe80::/10, IPv4-compatible
 * ::a.b.c.d, ...) and the special ranges inside it (6to4 2002::/16, Teredo, documentation,
 * ORCHID, ...) are refused. IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
 * addresses are judged by the IPv4 address they carry. An operator CIDR allow-list opens
 * specific ranges.
 */
export class AddressPolicy {
  private readonly allowed: [Ip, number][];

  constructor(allowCidrs: string) {
    this.allowed = allowCidrs
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Undefined when allowed, else the reason it is refused. */
  check(address: string): string | undefined {
    return this.judge(address, true);
  }

  /**
   * Whether the address is a local host (loopback, private, ...) that only the operator's
   * allow-list opens: e.g. an SMTP relay on the same network, which may go without TLS.
   */
  isAllowedLocal(address: string): boolean {
    return this.judge(address, false) !== undefined && this.judge(address, true) === undefined;
  }

  private judge(address: string, useAllowList: boolean): string | undefined {
    if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
    let ip: Ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    if (useAllowList && this.isAllowed(ip)) return undefined;
    if (ip.kind() === 'ipv4') {
      const range = ip.range();
      return range === 'unicast' ? undefined : `${address} is a ${range} address`;
    }
    const v6 = ip as ipaddr.IPv6;
    if (v6.match(NAT64_WELL_KNOWN)) {
      const bytes = v6.toByteArray().slice(12);
      const inner = new ipaddr.IPv4(bytes);
      if (useAllowList && this.isAllowed(inner)) return undefined;
      const range = inner.range();
      return range === 'unicast' ? undefined : `${address} is NAT64 for ${inner.toString()}, a ${range} address`;
    }
    const range = v6.range();
    if (range !== 'unicast') return `${address} is a ${range} address`;
    if (!v6.match(GLOBAL_UNICAST_V6)) return `${address} is outside the global unicast range 2000::/3`;
    return undefined;
  }

  private isAllowed(ip: Ip): boolean {
    return this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match([net, bits] as never));
  }
}
