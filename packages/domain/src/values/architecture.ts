/** Architectures in MAAS form. */
export const ARCHITECTURES = [
  'amd64/generic',
  'arm64/generic',
  'i386/generic',
  'armhf/generic',
  'ppc64el/generic',
  's390x/generic',
  'riscv64/generic',
] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const POWER_TYPES = ['manual', 'ipmi', 'redfish', 'amt', 'virsh', 'webhook'] as const;
export type PowerType = (typeof POWER_TYPES)[number];
