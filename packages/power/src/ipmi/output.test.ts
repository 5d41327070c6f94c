/** How ipmitool's output is read, on what it prints in cases a simulator cannot easily show. */
import { describe, expect, it } from 'vitest';
import { PowerDriverError } from '../driver.js';
import { interpretIpmitool, type IpmiContext } from './output.js';

const ctx: IpmiContext = {
  command: 'chassis power on',
  target: '10.0.0.5:623',
  username: 'admin',
  privilege: 'administrator',
  cipherSuite: 3,
  password: 'hunter2-secret',
};
const VERBOSE =
  'Loading IANA PEN Registry...\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Invalid command\nDiscovered IPMB address 0x0\n';

function outcome(code: number, stdout: string, stderr = ''): { reason: string; message: string } | string {
  try {
    return interpretIpmitool({ code, stdout, stderr }, /Chassis Power Control: Up\/On|Chassis Power is (on|off)/, ctx)[0];
  } catch (error) {
    if (!(error instanceof PowerDriverError)) throw error;
    return { reason: error.reason, message: error.message };
  }
}

describe('reading ipmitool output', () => {
  it('takes the expected line despite -v noise', () => {
    expect(outcome(0, 'Chassis Power Control: Up/On\n', VERBOSE)).toBe('Chassis Power Control: Up/On');
  });

  it('a refused command is a failure even with exit code 0', () => {
    expect(outcome(0, '', `${VERBOSE}Set Chassis Boot Parameter 5 failed: Invalid data field in request\n`)).toEqual({
      reason: 'unsupported',
      message: 'BMC 10.0.0.5:623 does not support chassis power on: Set Chassis Boot Parameter 5 failed: Invalid data field in request',
    });
    expect(outcome(1, '', 'Set Chassis Power Control to Cycle failed: Command not supported in present state\n')).toMatchObject({
      reason: 'refused',
    });
    expect(outcome(1, '', 'Set Chassis Power Control to Up/On failed: Node busy\n')).toMatchObject({ reason: 'protocol' });
    expect(outcome(1, '', 'Set Chassis Power Control to Up/On failed: Insufficient privilege level\n')).toMatchObject({ reason: 'auth' });
  });

  it('tells session failures apart', () => {
    const rakp = (why: string) =>
      outcome(1, '', `${VERBOSE}RAKP 2 message indicates an error : ${why}\nError: Unable to establish IPMI v2 / RMCP+ session\n`);
    expect(rakp('unauthorized name')).toMatchObject({ reason: 'auth' });
    expect(rakp('unauthorized role or privilege level requested')).toMatchObject({
      reason: 'auth',
      message: expect.stringMatching(/privilege=operator/),
    });
    expect(rakp('insufficient resources for session')).toMatchObject({ reason: 'protocol' });
    expect(rakp('no cipher suite match with proposed security algorithms')).toMatchObject({
      reason: 'config',
      message: expect.stringMatching(/set cipherSuite/),
    });
    expect(outcome(1, '', '> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n')).toEqual({
      reason: 'auth',
      message: "BMC 10.0.0.5:623 rejected the password of user 'admin'",
    });
    expect(outcome(1, '', 'Activate Session command failed\nError: Unable to establish LAN session\n')).toMatchObject({ reason: 'auth' });
    expect(outcome(1, '', 'Get Auth Capabilities command failed\nError: Unable to establish LAN session\n')).toMatchObject({
      reason: 'unreachable',
    });
    expect(outcome(1, '', 'Address lookup for bmc.invalid failed\nCould not open socket!\n')).toMatchObject({ reason: 'unreachable' });
    expect(outcome(1, '', 'Unable to Get Channel Cipher Suites\nError: Unable to establish IPMI v2 / RMCP+ session\n')).toMatchObject({
      reason: 'unreachable',
      message: expect.stringMatching(/set cipherSuite/),
    });
    expect(outcome(1, '', 'Unsupported cipher suite ID : 18\n')).toMatchObject({ reason: 'config' });
  });

  it('output that says nothing expected is a protocol failure quoting it, without the password', () => {
    expect(outcome(0, 'something else hunter2-secret\n')).toEqual({
      reason: 'protocol',
      message: 'ipmitool chassis power on on 10.0.0.5:623 exited 0 and printed: something else ********',
    });
    expect(outcome(0, '')).toMatchObject({ message: expect.stringMatching(/printed: \(nothing\)$/) });
  });
});
