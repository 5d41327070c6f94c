import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { baseUrlOf, bootIf, chainScript, machineScript } from './boot.js';

const BASE = 'http://192.168.50.1:5240';
const MAC = '52:54:00:12:34:56';

describe('the iPXE scripts', () => {
  it('first chains to the per-MAC script with the booting interface’s MAC', () => {
    const script = chainScript(BASE);
    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain('chain --autofree http://192.168.50.1:5240/boot/ipxe?mac=${netX/mac}');
  });

  it.each(['enlist', 'commission', 'deploy', 'erase'] as const)('boots the %s environment with the agent’s command line', (environment) => {
    const script = machineScript(BASE, MAC, environment, 'ttyS0', 'node abc234');
    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain(
      `kernel ${BASE}/boot/vmlinuz initrd=initrd.img metalyard.url=${BASE} metalyard.env=${environment} BOOTIF=01-52-54-00-12-34-56 console=ttyS0`,
    );
    expect(script).toContain(`initrd --name initrd.img ${BASE}/boot/initrd.img`);
    expect(script).toContain('\nboot');
  });

  it('boots anything else from its local disk', () => {
    const script = machineScript(BASE, MAC, 'local', 'ttyS0', 'node abc234 (deployed)');
    expect(script).toContain('sanboot --no-describe --drive 0x80 || exit');
    expect(script).not.toContain('kernel');
  });

  it('writes BOOTIF as pxelinux does', () => {
    expect(bootIf('aa:bb:cc:dd:ee:ff')).toBe('01-aa-bb-cc-dd-ee-ff');
  });
});

describe('the server URL in scripts', () => {
  const req = (host: string | undefined) =>
    ({ headers: { host }, socket: { localAddress: '10.1.1.1', localPort: 5240 } }) as unknown as IncomingMessage;

  it('is METALYARD_BOOT_URL when set', () => {
    expect(baseUrlOf(req('evil.example'), 'http://metalyard.lab:8080')).toBe('http://metalyard.lab:8080');
  });

  it('is the request’s Host otherwise, or where it came in when the Host could not go into a script', () => {
    expect(baseUrlOf(req('192.168.50.1:5240'), null)).toBe('http://192.168.50.1:5240');
    expect(baseUrlOf(req('[fd00::1]:5240'), null)).toBe('http://[fd00::1]:5240');
    expect(baseUrlOf(req('x\n#!ipxe shell'), null)).toBe('http://10.1.1.1:5240');
    expect(baseUrlOf(req(undefined), null)).toBe('http://10.1.1.1:5240');
  });
});
