import { describe, expect, it } from 'vitest';
import { clientBlock } from '../src/values/client-block.js';

describe('clientBlock', () => {
  it('keeps an IPv4 address (and anything that is not IPv6) as it is', () => {
    expect(clientBlock('192.0.2.7')).toBe('192.0.2.7');
    expect(clientBlock('127.0.0.1')).toBe('127.0.0.1');
    expect(clientBlock('unknown')).toBe('unknown');
  });

  it('counts an IPv6 address as its /64, however the address is written', () => {
    expect(clientBlock('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(clientBlock('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientBlock('::1')).toBe('0:0:0:0::/64');
    expect(clientBlock('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientBlock('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('puts two addresses of one /64 in one block, and of two /64s in two', () => {
    expect(clientBlock('2001:db8:0:1::a')).toBe(clientBlock('2001:db8:0:1:ffff:ffff:ffff:ffff'));
    expect(clientBlock('2001:db8:0:1::a')).not.toBe(clientBlock('2001:db8:0:2::a'));
  });

  it('leaves what is not a valid IPv6 address as it is', () => {
    for (const text of ['2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '1:2:3', 'g::1', '::1.2.3.256']) expect(clientBlock(text)).toBe(text);
  });
});
