import { describe, expect, it } from 'vitest';
import { TrustedProxies, normalize } from './client-address.js';
import { ConfigError, loadConfig } from './config.js';

const headers = (values: Record<string, string>) => values;

describe('TrustedProxies', () => {
  it('believes X-Forwarded-For only from a trusted peer, taking the rightmost untrusted hop', () => {
    const proxies = TrustedProxies.parse('127.0.0.1, 10.0.0.0/8');
    const forwarded = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.1.2.3' });
    // The client could write anything to the left; the first address our proxies did not add is the client.
    expect(proxies.clientAddress('127.0.0.1', forwarded)).toBe('198.51.100.7');
    expect(proxies.clientAddress('::ffff:127.0.0.1', forwarded)).toBe('198.51.100.7');
    // Anyone else's header is ignored.
    expect(proxies.clientAddress('192.0.2.9', forwarded)).toBe('192.0.2.9');
    expect(TrustedProxies.parse('').clientAddress('127.0.0.1', forwarded)).toBe('127.0.0.1');
    // Only trusted hops: the leftmost is the best the request can tell; no header: the proxy itself.
    expect(proxies.clientAddress('127.0.0.1', headers({ 'x-forwarded-for': '10.0.0.9, 10.0.0.8' }))).toBe('10.0.0.9');
    expect(proxies.clientAddress('127.0.0.1', {})).toBe('127.0.0.1');
  });

  it('reads RFC 7239 Forwarded, IPv6 and ports included', () => {
    const proxies = TrustedProxies.parse('::1,fd00::/8');
    const forwarded = headers({ forwarded: 'for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https, for="[fd00::2]"' });
    expect(proxies.clientAddress('::1', forwarded)).toBe('2001:db8:cafe::17');
    // Both headers: believed when they agree; when not, one of them is the client's own, and neither is believed.
    expect(proxies.clientAddress('::1', { ...forwarded, 'x-forwarded-for': '2001:db8:cafe::17, fd00::2' })).toBe('2001:db8:cafe::17');
    expect(proxies.clientAddress('::1', { ...forwarded, 'x-forwarded-for': '203.0.113.1' })).toBe('::1');
    expect(proxies.clientAddress('::1', headers({ forwarded: 'for=192.0.2.60:8080;by=203.0.113.43' }))).toBe('192.0.2.60');
    // An obfuscated hop: the last trusted proxy is the client as far as the request can tell.
    expect(proxies.clientAddress('::1', headers({ forwarded: 'for=_hidden, for="[fd00::2]"' }))).toBe('fd00::2');
    expect(proxies.clientAddress('::1', headers({ 'x-forwarded-for': 'garbage' }))).toBe('::1');
  });

  it('normalises the ways an address is written', () => {
    expect(normalize('"[2001:DB8::1]:80"')).toBe('2001:db8::1');
    expect(normalize('10.0.0.1:1234')).toBe('10.0.0.1');
    expect(normalize('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(normalize('unknown')).toBeNull();
  });

  it('refuses a list it cannot read, with a message for the operator', () => {
    expect(() => TrustedProxies.parse('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => TrustedProxies.parse('proxy.example')).toThrow(/not an IP address/);
    expect(() => loadConfig({ METALYARD_TRUSTED_PROXIES: '10.0.0.1, nope' })).toThrow(ConfigError);
    expect(TrustedProxies.parse(loadConfig({ METALYARD_TRUSTED_PROXIES: ' 10.0.0.1 , fd00::/8 ' }).trustedProxies).entries).toEqual([
      '10.0.0.1',
      'fd00::/8',
    ]);
  });
});

describe('metrics settings', () => {
  it('default to loopback, and take token, open and off', () => {
    expect(loadConfig({})).toMatchObject({ metrics: 'loopback', metricsToken: null });
    expect(loadConfig({ METALYARD_METRICS: 'token', METALYARD_METRICS_TOKEN: 'm'.repeat(32) })).toMatchObject({
      metrics: 'token',
      metricsToken: 'm'.repeat(32),
    });
    expect(() => loadConfig({ METALYARD_METRICS: 'public' })).toThrow(/METALYARD_METRICS must be one of/);
    expect(() => loadConfig({ METALYARD_METRICS_TOKEN: 'short' })).toThrow(/at least 32/);
  });
});
