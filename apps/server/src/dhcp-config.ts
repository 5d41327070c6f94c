import { isIP } from 'node:net';

/**
 * `metalyard dhcp-config`: a dnsmasq configuration that network-boots machines into Metalyard.
 * iPXE asks for /boot/ipxe over HTTP; a legacy PXE ROM first gets iPXE itself over TFTP
 * (`undionly.kpxe`, or `snponly.efi` for UEFI, from Debian's ipxe package, which `pnpm boot-image`
 * copies into the boot folder's tftp/). Either full DHCP for a range, or proxy DHCP beside the
 * network's own DHCP server (which keeps handing out the addresses).
 */
export interface DhcpConfigOptions {
  /** The server's URL as machines reach it: http://HOST:PORT */
  url: string;
  /** Full DHCP: the range handed out, with an optional netmask. */
  range?: { start: string; end: string; netmask?: string };
  /** Proxy DHCP: the subnet's network address (e.g. 192.168.50.0). */
  proxy?: string;
  interface?: string;
  tftpRoot: string;
}

export class DhcpConfigError extends Error {}

function address(value: string, what: string): string {
  if (isIP(value) !== 4) throw new DhcpConfigError(`${what} must be an IPv4 address, not '${value}'`);
  return value;
}

/** `START,END[,NETMASK]` → the range. */
export function parseRange(value: string): NonNullable<DhcpConfigOptions['range']> {
  const [start, end, netmask, ...rest] = value.split(',').map((part) => part.trim());
  if (!start || !end || rest.length) throw new DhcpConfigError(`--range must be START,END[,NETMASK], not '${value}'`);
  return {
    start: address(start, '--range START'),
    end: address(end, '--range END'),
    ...(netmask ? { netmask: address(netmask, '--range NETMASK') } : {}),
  };
}

export function dnsmasqConfig(options: DhcpConfigOptions): string {
  if (!options.range === !options.proxy)
    throw new DhcpConfigError('give either --range START,END[,NETMASK] (full DHCP) or --proxy SUBNET (proxy DHCP)');
  if (!/^https?:\/\/[A-Za-z0-9.\-[\]:]+(\/[A-Za-z0-9._~/-]*)?$/.test(options.url)) {
    throw new DhcpConfigError(`the server URL must be http://HOST[:PORT], not '${options.url}'`);
  }
  if (options.interface !== undefined && !/^[A-Za-z0-9._-]{1,15}$/.test(options.interface)) {
    throw new DhcpConfigError(`--interface must be an interface name such as eth1, not '${options.interface}'`);
  }
  const url = options.url.replace(/\/+$/, '');
  const script = `${url}/boot/ipxe`;
  const lines = [
    '# Metalyard network boot for dnsmasq, written by `metalyard dhcp-config`.',
    '# Put it in /etc/dnsmasq.d/metalyard.conf and restart dnsmasq (Debian: apt-get install dnsmasq ipxe).',
    `# Machines boot iPXE, which loads ${script} from the Metalyard server.`,
    '',
    '# DHCP and TFTP only, no DNS.',
    'port=0',
  ];
  if (options.interface) lines.push(`interface=${options.interface}`, 'bind-interfaces');
  lines.push('log-dhcp', '');
  if (options.range) {
    const { start, end, netmask } = options.range;
    lines.push('# Full DHCP: this server hands out the addresses.', `dhcp-range=${start},${end}${netmask ? `,${netmask}` : ''},12h`);
  } else {
    lines.push(
      '# Proxy DHCP: the network’s own DHCP server hands out the addresses; this one only says what to boot.',
      `dhcp-range=${address(options.proxy!, '--proxy SUBNET')},proxy`,
    );
  }
  lines.push(
    '',
    '# Who asks: iPXE (DHCP option 175), a UEFI firmware (client architecture 7 or 9), or a legacy PXE ROM.',
    'dhcp-match=set:ipxe,175',
    'dhcp-match=set:efi64,option:client-arch,7',
    'dhcp-match=set:efi64,option:client-arch,9',
    '',
    '# iPXE: the Metalyard boot script over HTTP.',
    `dhcp-boot=tag:ipxe,${script}`,
    '# Before iPXE: chain-load it over TFTP (undionly.kpxe for BIOS, snponly.efi for UEFI).',
    'dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi',
    'dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe',
  );
  if (options.proxy) {
    lines.push(
      '# Proxy DHCP answers PXE ROMs through PXE menus (dnsmasq adds no suffix to a name with a dot).',
      'pxe-prompt="Metalyard",0',
      'pxe-service=tag:!ipxe,x86PC,"Metalyard (iPXE)",undionly.kpxe',
      'pxe-service=tag:!ipxe,X86-64_EFI,"Metalyard (iPXE)",snponly.efi',
      `pxe-service=tag:ipxe,x86PC,"Metalyard",${script}`,
      `pxe-service=tag:ipxe,X86-64_EFI,"Metalyard",${script}`,
    );
  }
  lines.push('', '# The TFTP chain (pnpm boot-image copies the iPXE binaries here).', 'enable-tftp', `tftp-root=${options.tftpRoot}`, '');
  return lines.join('\n');
}
