import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  hostProblem,
  ipmiParametersSchema,
  manualParametersSchema,
  redfishParametersSchema,
  webhookParametersSchema,
} from './parameters.js';
import { describeParameterIssues } from './registry.js';

/** The messages a schema gives for `input`, as `field: message`. */
function problems(schema: z.ZodType<unknown, Record<string, string>>, input: Record<string, unknown>): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : describeParameterIssues(result.error);
}

describe('ipmi parameters', () => {
  it('fills defaults and coerces strings', () => {
    expect(ipmiParametersSchema.parse({ address: 'BMC-1.Example.net', username: 'admin', password: 'pw' })).toEqual({
      address: 'bmc-1.example.net',
      username: 'admin',
      password: 'pw',
      port: 623,
      privilege: 'administrator',
      cipherSuite: 3,
      interface: 'lanplus',
      bootMode: 'legacy',
    });
    const p = ipmiParametersSchema.parse({
      address: '10.0.0.5',
      port: '6230',
      privilege: 'OPERATOR',
      cipherSuite: '17',
      interface: 'lan',
      bootMode: 'efi',
    });
    expect(p).toMatchObject({
      port: 6230,
      privilege: 'operator',
      cipherSuite: 17,
      interface: 'lan',
      bootMode: 'efi',
      username: '',
      password: '',
    });
  });

  it('takes IPv4, IPv6 (bracketed or not) and host names', () => {
    expect(ipmiParametersSchema.parse({ address: '[FE80::1]' }).address).toBe('fe80::1');
    expect(ipmiParametersSchema.parse({ address: '::ffff:10.0.0.1' }).address).toBe('::ffff:10.0.0.1');
    expect(ipmiParametersSchema.parse({ address: '2001:db8:0:0:0:0:0:1' }).address).toBe('2001:db8:0:0:0:0:0:1');
    for (const bad of ['10.0.0.256', '-bmc', 'bmc_1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'bmc one', '']) {
      expect(hostProblem(bad.trim().toLowerCase()), bad).not.toBeNull();
    }
  });

  it('names the field in every message', () => {
    expect(problems(ipmiParametersSchema, {})).toEqual(['powerParameters.address: required for ipmi']);
    expect(problems(ipmiParametersSchema, { address: '10.0.0.300' })).toEqual(['powerParameters.address: is not a valid IPv4 address']);
    expect(problems(ipmiParametersSchema, { address: 'bmc', port: '70000' })).toEqual([
      'powerParameters.port: must be a port number from 1 to 65535',
    ]);
    expect(problems(ipmiParametersSchema, { address: 'bmc', port: 'x623' })).toEqual([
      'powerParameters.port: must be a port number from 1 to 65535',
    ]);
    expect(problems(ipmiParametersSchema, { address: 'bmc', privilege: 'root' })).toEqual([
      'powerParameters.privilege: must be one of user, operator, administrator',
    ]);
    expect(problems(ipmiParametersSchema, { address: 'bmc', cipherSuite: '18' })[0]).toMatch(
      /^powerParameters\.cipherSuite: must be an IPMI cipher suite from 0 to 17/,
    );
    expect(problems(ipmiParametersSchema, { address: 'bmc', interface: 'serial' })).toEqual([
      'powerParameters.interface: must be one of lanplus, lan',
    ]);
    expect(problems(ipmiParametersSchema, { address: 'bmc', port: 623 })).toEqual(['powerParameters.port: must be a string']);
    expect(problems(ipmiParametersSchema, { address: 'bmc', power_address: 'x', foo: '1' })).toEqual([
      'powerParameters: unknown parameter(s) for ipmi: power_address, foo (known: address, username, password, port, privilege, cipherSuite, interface, bootMode)',
    ]);
  });

  it('never repeats a password in a message', () => {
    const secret = 'a-very-long-secret-password-over-20';
    const messages = problems(ipmiParametersSchema, { address: 'bmc', password: secret });
    expect(messages).toEqual(['powerParameters.password: must be at most 20 characters (IPMI 2.0 passwords)']);
    expect(JSON.stringify(ipmiParametersSchema.safeParse({ address: 'bmc', password: secret }).error?.issues)).not.toContain(secret);
  });
});

describe('redfish parameters', () => {
  const base = { username: 'root', password: 'calvin' };
  it('normalizes the address to the service origin', () => {
    const cases: Record<string, string> = {
      'bmc.example.net': 'https://bmc.example.net',
      '10.0.0.5:8443': 'https://10.0.0.5:8443',
      'https://10.0.0.5/': 'https://10.0.0.5',
      'https://10.0.0.5:443/redfish/v1': 'https://10.0.0.5',
      '[fd00::5]:8443': 'https://[fd00::5]:8443',
      'fd00::5': 'https://[fd00::5]',
      'http://127.0.0.1:8000': 'http://127.0.0.1:8000',
    };
    for (const [address, origin] of Object.entries(cases)) {
      expect(redfishParametersSchema.parse({ ...base, address }).address, address).toBe(origin);
    }
  });

  it('coerces verifyTls and checks systemPath', () => {
    const p = redfishParametersSchema.parse({
      ...base,
      address: 'bmc',
      verifyTls: 'false',
      systemPath: '/redfish/v1/Systems/System.Embedded.1/',
    });
    expect(p).toEqual({ ...base, address: 'https://bmc', verifyTls: false, systemPath: '/redfish/v1/Systems/System.Embedded.1' });
    const defaults = redfishParametersSchema.parse({ ...base, address: 'bmc' });
    expect(defaults.verifyTls).toBe(true);
    expect(defaults.systemPath).toBeUndefined();
    expect(problems(redfishParametersSchema, { ...base, address: 'bmc', verifyTls: 'maybe' })).toEqual([
      'powerParameters.verifyTls: must be true or false',
    ]);
    expect(problems(redfishParametersSchema, { ...base, address: 'bmc', systemPath: '/redfish/v1/Systems/../Managers' })).toEqual([
      'powerParameters.systemPath: must be a system resource such as /redfish/v1/Systems/1',
    ]);
  });

  it('names the field in every message', () => {
    expect(problems(redfishParametersSchema, {})).toEqual([
      'powerParameters.address: required for redfish',
      'powerParameters.username: required for redfish',
      'powerParameters.password: required for redfish',
    ]);
    expect(problems(redfishParametersSchema, { ...base, address: 'root:pw-in-address@bmc' })).toEqual([
      'powerParameters.address: must be a host, host:port or https://host[:port]',
    ]);
    expect(problems(ipmiParametersSchema, { address: 'admin:pw-in-address@bmc' })).toEqual([
      'powerParameters.address: must be a host name, an IPv4 or an IPv6 address',
    ]);
    expect(problems(redfishParametersSchema, { ...base, address: 'https://u:p@bmc' })).toEqual([
      'powerParameters.address: must not hold credentials: use username and password',
    ]);
    expect(problems(redfishParametersSchema, { ...base, address: 'https://bmc/redfish/v1/Systems/1' })[0]).toMatch(
      /put the system in systemPath/,
    );
    expect(problems(redfishParametersSchema, { ...base, password: '', address: 'bmc' })).toEqual([
      'powerParameters.password: must not be empty for redfish',
    ]);
  });
});

describe('webhook parameters', () => {
  const urls = { powerOnUrl: 'http://pdu/on', powerOffUrl: 'http://pdu/off', powerStatusUrl: 'https://pdu/status?outlet=3' };
  it('parses URLs, the secret header and verifyTls', () => {
    const p = webhookParametersSchema.parse({ ...urls, secretHeader: 'Authorization:  Bearer abc:def ', verifyTls: 'no' });
    expect(p).toMatchObject({ ...urls, secretHeader: { name: 'Authorization', value: 'Bearer abc:def' }, verifyTls: false });
    expect(p.powerCycleUrl).toBeUndefined();
  });

  it('names the field in every message, never the secret', () => {
    expect(problems(webhookParametersSchema, {})).toEqual([
      'powerParameters.powerOnUrl: required for webhook',
      'powerParameters.powerOffUrl: required for webhook',
      'powerParameters.powerStatusUrl: required for webhook',
    ]);
    expect(problems(webhookParametersSchema, { ...urls, powerCycleUrl: 'ftp://pdu/cycle' })).toEqual([
      'powerParameters.powerCycleUrl: must be an http:// or https:// URL',
    ]);
    expect(problems(webhookParametersSchema, { ...urls, powerOnUrl: 'http://admin:pw@pdu/on' })[0]).toMatch(
      /^powerParameters\.powerOnUrl: must not hold credentials/,
    );
    const secret = 'no-colon-token-1234';
    const messages = problems(webhookParametersSchema, { ...urls, secretHeader: secret });
    expect(messages).toEqual(["powerParameters.secretHeader: must be 'Name: value' on one line, e.g. 'Authorization: Bearer <token>'"]);
    expect(messages.join()).not.toContain(secret);
    expect(problems(webhookParametersSchema, { ...urls, secretHeader: 'X-Key: a\r\nInjected: b' })).toHaveLength(1);
  });
});

describe('manual parameters', () => {
  it('takes none', () => {
    expect(manualParametersSchema.parse({})).toEqual({});
    expect(problems(manualParametersSchema, { address: 'x' })).toEqual([
      'powerParameters: power type manual takes no parameters (got address)',
    ]);
  });
});
