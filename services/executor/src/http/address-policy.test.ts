import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy';

const policy = new AddressPolicy('');

describe('the outgoing address policy (no allow-list)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['192.0.0.170', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', '2000::/3'],
    ['::a00:1', '2000::/3'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::7f00:1', 'NAT64 for 127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 for 169.254.169.254'],
    ['64:ff9b::a00:1', 'NAT64 for 10.0.0.1'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
    ['2002:7f00:1::1', '6to4'],
    ['2002:a00:1::1', '6to4'],
    ['2001::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:0:7f00:1', 'rfc6145'],
    ['100::1', 'discard'],
    ['4000::1', '2000::/3'],
  ])('refuses %s (%s)', (address, why) => {
    const reason = policy.check(address);
    expect(reason).toBeDefined();
    expect(reason).toContain(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows public %s', (address) => {
    expect(policy.check(address)).toBeUndefined();
  });

  it('refuses what is not an IP address', () => {
    expect(policy.check('localhost')).toMatch(/not an IP address/);
  });
});

describe('the outgoing address policy with an allow-list', () => {
  const allow = new AddressPolicy('10.1.0.0/16, 127.0.0.2/32, fd00:1::/32');

  it('opens exactly the listed ranges, in every spelling of the address', () => {
    expect(allow.check('10.1.2.3')).toBeUndefined();
    expect(allow.check('::ffff:10.1.2.3')).toBeUndefined();
    expect(allow.check('64:ff9b::a01:203')).toBeUndefined();
    expect(allow.check('127.0.0.2')).toBeUndefined();
    expect(allow.check('fd00:1::5')).toBeUndefined();
    expect(allow.check('10.2.0.1')).toBeDefined();
    expect(allow.check('127.0.0.1')).toBeDefined();
    expect(allow.check('fd00:2::5')).toBeDefined();
    expect(allow.check('169.254.169.254')).toBeDefined();
  });
});

describe('local hosts opened by the allow-list', () => {
  const open = new AddressPolicy('127.0.0.0/8,10.1.0.0/16,8.8.8.0/24');
  it('are the non-public addresses the list admits, not public ones nor refused ones', () => {
    expect(open.isAllowedLocal('127.0.0.1')).toBe(true);
    expect(open.isAllowedLocal('::ffff:10.1.2.3')).toBe(true);
    expect(open.isAllowedLocal('8.8.8.8')).toBe(false); // public anyway: listing it does not make it local
    expect(open.isAllowedLocal('10.2.0.1')).toBe(false); // refused
    expect(open.isAllowedLocal('not an ip')).toBe(false);
    expect(new AddressPolicy('').isAllowedLocal('127.0.0.1')).toBe(false);
  });
});
