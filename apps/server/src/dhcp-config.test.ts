import { describe, expect, it } from 'vitest';
import { DhcpConfigError, dnsmasqConfig, parseRange } from './dhcp-config.js';

const URL = 'http://192.168.50.1:5240';

const directives = (config: string) => config.split('\n').filter((line) => line && !line.startsWith('#'));

describe('metalyard dhcp-config', () => {
  it('full DHCP: the range, iPXE to /boot/ipxe, legacy PXE and UEFI ROMs to iPXE over TFTP', () => {
    const config = dnsmasqConfig({
      url: URL,
      range: parseRange('192.168.50.100,192.168.50.200,255.255.255.0'),
      interface: 'eth1',
      tftpRoot: '/srv/metalyard/tftp',
    });
    expect(directives(config)).toEqual([
      'port=0',
      'interface=eth1',
      'bind-interfaces',
      'log-dhcp',
      'dhcp-range=192.168.50.100,192.168.50.200,255.255.255.0,12h',
      'dhcp-match=set:ipxe,175',
      'dhcp-match=set:efi64,option:client-arch,7',
      'dhcp-match=set:efi64,option:client-arch,9',
      'dhcp-boot=tag:ipxe,http://192.168.50.1:5240/boot/ipxe',
      'dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi',
      'dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe',
      'enable-tftp',
      'tftp-root=/srv/metalyard/tftp',
    ]);
  });

  it('proxy DHCP: no addresses handed out, PXE services for the ROMs', () => {
    const lines = directives(dnsmasqConfig({ url: `${URL}/`, proxy: '192.168.50.0', tftpRoot: '/tftp' }));
    expect(lines).toContain('dhcp-range=192.168.50.0,proxy');
    expect(lines).toContain('pxe-service=tag:!ipxe,x86PC,"Metalyard (iPXE)",undionly.kpxe');
    expect(lines).toContain('pxe-service=tag:ipxe,x86PC,"Metalyard",http://192.168.50.1:5240/boot/ipxe');
    expect(lines).toContain('dhcp-boot=tag:ipxe,http://192.168.50.1:5240/boot/ipxe');
    expect(lines).not.toContain('interface=eth1');
    expect(lines.some((line) => line.startsWith('dhcp-range=') && !line.endsWith(',proxy'))).toBe(false);
  });

  it.each([
    [{ url: URL, tftpRoot: '/t' }, /either --range/],
    [{ url: URL, tftpRoot: '/t', proxy: '10.0.0.0', range: parseRange('10.0.0.2,10.0.0.9') }, /either --range/],
    [{ url: URL, tftpRoot: '/t', proxy: 'lan' }, /--proxy SUBNET must be an IPv4 address/],
    [{ url: 'ftp://x', tftpRoot: '/t', proxy: '10.0.0.0' }, /http:\/\/HOST/],
    [{ url: URL, tftpRoot: '/t', proxy: '10.0.0.0', interface: 'eth1\ndhcp-script=/bin/sh' }, /--interface/],
  ])('refuses %j', (options, message) => {
    expect(() => dnsmasqConfig(options)).toThrow(message);
  });

  it('refuses a range that is not START,END[,NETMASK]', () => {
    expect(() => parseRange('10.0.0.2')).toThrow(DhcpConfigError);
    expect(() => parseRange('10.0.0.2,10.0.0.300')).toThrow(/--range END must be an IPv4 address/);
  });
});
