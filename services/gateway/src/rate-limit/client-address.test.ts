import { describe, expect, it } from 'vitest';
import { addressPartition } from './client-address';

describe('addressPartition', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressPartition('203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts every address of one IPv6 /64 in one partition, however it is spelled', () => {
    const a = addressPartition('2001:db8:0:12::1');
    expect(a).toBe('2001:db8:0:12::/64');
    expect(addressPartition('2001:0db8:0000:0012:ffff:1:2:3')).toBe(a);
    expect(addressPartition('2001:db8:0:13::1')).not.toBe(a);
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressPartition('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('handles the loopback and a zone index', () => {
    expect(addressPartition('::1')).toBe('0:0:0:0::/64');
    expect(addressPartition('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
