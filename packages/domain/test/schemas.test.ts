import { describe, expect, it } from 'vitest';
import {
  MAX_MACS_PER_NODE,
  REDACTED,
  acceptInputSchema,
  acquireInputSchema,
  enlistInputSchema,
  getNodeInputSchema,
  hostnameSchema,
  isSecretParameter,
  listNodesInputSchema,
  macAddressSchema,
  powerParametersSchema,
  redactPowerParameters,
} from '../src/index.js';

/** `count` distinct MACs in colon form: 02:00:00:00:00:00, 02:00:00:00:00:01, … */
function macs(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
  );
}

/** The issues of a failed parse as `path: message` strings. */
function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const minimal = { architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:ff'] };

describe('enlistInputSchema', () => {
  it('fills in defaults: powerType manual, no power parameters, no hostname', () => {
    expect(enlistInputSchema.parse(minimal)).toEqual({
      architecture: 'amd64/generic',
      macAddresses: ['aa:bb:cc:dd:ee:ff'],
      powerType: 'manual',
      powerParameters: {},
    });
  });

  it('keeps what is given, normalising MACs and the hostname', () => {
    const input = {
      hostname: '  Rack1-Node3 ',
      architecture: 'arm64/generic',
      macAddresses: ['AA-BB-CC-DD-EE-01', 'aabb.ccdd.ee02'],
      powerType: 'ipmi',
      powerParameters: { address: '10.0.0.9', username: 'admin', password: 'hunter2' },
    };
    expect(enlistInputSchema.parse(input)).toEqual({
      hostname: 'rack1-node3',
      architecture: 'arm64/generic',
      macAddresses: ['aa:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee:02'],
      powerType: 'ipmi',
      powerParameters: { address: '10.0.0.9', username: 'admin', password: 'hunter2' },
    });
  });

  it.each([
    ['status', { ...minimal, status: 'ready' }],
    ['owner', { ...minimal, owner: 'mallory' }],
    ['systemId', { ...minimal, systemId: 'abc234' }],
  ])('refuses the extra key %s', (key, input) => {
    expect(issuesOf(enlistInputSchema.safeParse(input))).toEqual([`: unknown field(s): ${key}`]);
  });

  it('refuses __proto__ given through JSON.parse, and pollutes nothing', () => {
    const input = JSON.parse(
      '{"architecture":"amd64/generic","macAddresses":["aa:bb:cc:dd:ee:ff"],"__proto__":{"status":"ready","isAdmin":true}}',
    );
    expect(Object.keys(input)).toContain('__proto__');
    expect(issuesOf(enlistInputSchema.safeParse(input))).toEqual([': unknown field(s): __proto__']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('drops a power parameter named __proto__ without touching any prototype', () => {
    const input = JSON.parse(
      '{"architecture":"amd64/generic","macAddresses":["aa:bb:cc:dd:ee:ff"],"powerParameters":{"__proto__":{"polluted":"yes"}}}',
    );
    const parsed = enlistInputSchema.parse(input);
    expect(Object.keys(parsed.powerParameters)).toEqual([]);
    expect(Object.getPrototypeOf(parsed.powerParameters)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('requires at least one MAC', () => {
    expect(issuesOf(enlistInputSchema.safeParse({ ...minimal, macAddresses: [] }))).toEqual([
      'macAddresses: must hold at least one MAC address',
    ]);
    expect(issuesOf(enlistInputSchema.safeParse({ architecture: 'amd64/generic' }))).toEqual([
      'macAddresses: must be a list of MAC addresses',
    ]);
  });

  it(`accepts ${MAX_MACS_PER_NODE} MACs and refuses ${MAX_MACS_PER_NODE + 1}`, () => {
    expect(MAX_MACS_PER_NODE).toBe(64);
    expect(enlistInputSchema.parse({ ...minimal, macAddresses: macs(64) }).macAddresses).toHaveLength(64);
    expect(issuesOf(enlistInputSchema.safeParse({ ...minimal, macAddresses: macs(65) }))).toEqual([
      'macAddresses: may hold at most 64 MAC addresses',
    ]);
  });

  it('dedupes one MAC given in different notations', () => {
    const parsed = enlistInputSchema.parse({
      ...minimal,
      macAddresses: ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'AABBCCDDEEFF', '02:00:00:00:00:01'],
    });
    expect(parsed.macAddresses).toEqual(['aa:bb:cc:dd:ee:ff', '02:00:00:00:00:01']);
  });

  it('names each bad MAC by its index', () => {
    const issues = issuesOf(enlistInputSchema.safeParse({ ...minimal, macAddresses: ['aa:bb:cc:dd:ee:ff', 'nope', 'aa:bb-cc:dd:ee:ff'] }));
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^macAddresses\.1: 'nope' is not a MAC address/);
    expect(issues[1]).toMatch(/^macAddresses\.2: 'aa:bb-cc:dd:ee:ff' is not a MAC address/);
  });

  it('refuses an unknown architecture or power type', () => {
    const issues = issuesOf(enlistInputSchema.safeParse({ ...minimal, architecture: 'vax', powerType: 'magic' }));
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^architecture: must be one of amd64\/generic, /);
    expect(issues[1]).toMatch(/^powerType: must be one of manual, ipmi, /);
  });

  it('refuses a bad hostname', () => {
    expect(issuesOf(enlistInputSchema.safeParse({ ...minimal, hostname: 'bad_name' }))).toEqual([
      "hostname: is not a valid hostname: label 'bad_name' may hold only letters, digits and inner hyphens",
    ]);
  });

  it('refuses anything but an object', () => {
    for (const input of [null, 'x', 42, []]) {
      expect(enlistInputSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });
});

describe('macAddressSchema', () => {
  it('normalises and refuses', () => {
    expect(macAddressSchema.parse('AABB.CCDD.EEFF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(macAddressSchema.safeParse('').success).toBe(false);
    expect(macAddressSchema.safeParse('   ').success).toBe(false);
    expect(macAddressSchema.safeParse(42).success).toBe(false);
    expect(issuesOf(macAddressSchema.safeParse(`aa:bb:cc:dd:ee:ff${' '.repeat(40)}`))).toEqual([': is not a MAC address']);
  });
});

describe('hostnameSchema', () => {
  it('trims and lowercases, then checks RFC 1123', () => {
    expect(hostnameSchema.parse(' Node-1.Lab ')).toBe('node-1.lab');
    expect(hostnameSchema.safeParse('').success).toBe(false);
    expect(hostnameSchema.safeParse('   ').success).toBe(false);
    expect(hostnameSchema.safeParse('a'.repeat(254)).success).toBe(false);
  });
});

describe('powerParametersSchema', () => {
  it('accepts lowercase identifier keys with string values', () => {
    expect(powerParametersSchema.parse({ power_address: 'x', user2: 'y' })).toEqual({ power_address: 'x', user2: 'y' });
  });
  it.each([
    [
      'an upper-case key',
      { Address: 'x' },
      'Address: keys are identifiers starting with a lowercase letter, such as address, username, password, cipherSuite',
    ],
    [
      'a key starting with a digit',
      { '1a': 'x' },
      '1a: keys are identifiers starting with a lowercase letter, such as address, username, password, cipherSuite',
    ],
    ['a non-string value', { address: 1 }, 'address: values must be strings'],
    ['a value over 1024 characters', { address: 'x'.repeat(1025) }, 'address: values must be at most 1024 characters'],
    [
      'more than 32 parameters',
      Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])),
      ': may hold at most 32 parameters',
    ],
    ['a string', 'ipmi', ': must be an object of string values'],
    ['null', null, ': must be an object of string values'],
  ])('refuses %s', (_label, input, issue) => {
    expect(issuesOf(powerParametersSchema.safeParse(input))).toEqual([issue]);
  });
});

describe('redactPowerParameters', () => {
  it('masks password-like keys and keeps the rest', () => {
    const parameters = {
      power_address: '10.0.0.9',
      power_user: 'admin',
      power_pass: 'hunter2',
      password: 'hunter2',
      secret: 's',
      client_secret: 's',
      api_token: 't',
      private_key: 'k',
      keyfile: 'k',
      passphrase: 'p',
    };
    expect(redactPowerParameters(parameters)).toEqual({
      power_address: '10.0.0.9',
      power_user: 'admin',
      power_pass: REDACTED,
      password: REDACTED,
      secret: REDACTED,
      client_secret: REDACTED,
      api_token: REDACTED,
      private_key: REDACTED,
      keyfile: REDACTED,
      passphrase: REDACTED,
    });
    expect(REDACTED).not.toContain('hunter2');
    expect(parameters.password).toBe('hunter2');
  });

  it('flags secrets case-insensitively', () => {
    expect(isSecretParameter('PASSWORD')).toBe(true);
    expect(isSecretParameter('address')).toBe(false);
    expect(redactPowerParameters({})).toEqual({});
  });
});

describe('the other input schemas', () => {
  it('getNodeInputSchema wants a system id and nothing else', () => {
    expect(getNodeInputSchema.parse({ systemId: 'abc234' })).toEqual({ systemId: 'abc234' });
    expect(getNodeInputSchema.safeParse({ systemId: 'ABC234' }).success).toBe(false);
    expect(getNodeInputSchema.safeParse({ systemId: 'abc234', x: 1 }).success).toBe(false);
  });

  it('listNodesInputSchema defaults the limit and bounds it', () => {
    expect(listNodesInputSchema.parse(undefined)).toEqual({ limit: 100 });
    expect(listNodesInputSchema.parse({})).toEqual({ limit: 100 });
    expect(listNodesInputSchema.parse({ status: 'ready', limit: 5, cursor: null })).toEqual({ status: 'ready', limit: 5, cursor: null });
    for (const limit of [0, 1001, 1.5]) expect(listNodesInputSchema.safeParse({ limit }).success, String(limit)).toBe(false);
    expect(listNodesInputSchema.safeParse({ status: 'gone' }).success).toBe(false);
    expect(listNodesInputSchema.safeParse({ cursor: 'x'.repeat(65) }).success).toBe(false);
  });

  it('acceptInputSchema wants 1..1000 system ids', () => {
    expect(acceptInputSchema.safeParse({ systemIds: [] }).success).toBe(false);
    expect(acceptInputSchema.safeParse({ systemIds: ['abc234', 'nope'] }).success).toBe(false);
    expect(acceptInputSchema.parse({ systemIds: ['abc234'] })).toEqual({ systemIds: ['abc234'] });
  });

  it('acquireInputSchema takes optional constraints', () => {
    expect(acquireInputSchema.parse(undefined)).toEqual({});
    expect(acquireInputSchema.parse({ architecture: 'arm64/generic' })).toEqual({ architecture: ['arm64/generic'] });
    expect(acquireInputSchema.parse({ architecture: ['arm64/generic', 'amd64/generic'] })).toEqual({
      architecture: ['arm64/generic', 'amd64/generic'],
    });
    expect(acquireInputSchema.parse({ notInZone: 'rack-1' })).toEqual({ notInZone: ['rack-1'] });
    expect(acquireInputSchema.safeParse({ architecture: [] }).success).toBe(false);
    expect(acquireInputSchema.safeParse({ architecture: 'sparc/generic' }).success).toBe(false);
    expect(acquireInputSchema.safeParse({ owner: 'me' }).success).toBe(false);
  });
});
