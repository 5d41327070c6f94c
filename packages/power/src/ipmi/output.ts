/**
 * What ipmitool printed, read as success or as a classified failure. ipmitool's exit code is not enough:
 * `chassis bootdev pxe` on a BMC that refuses prints "Set Chassis Boot Parameter 5 failed: ..." and exits 0.
 * It runs with `-v`, so a wrong password ("RAKP 2 HMAC is invalid") can be told from no answer at all.
 */
import { PowerDriverError } from '../driver.js';
import { scrub } from '../text.js';

export interface IpmitoolOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface IpmiContext {
  /** e.g. `chassis power on`. */
  command: string;
  target: string;
  username: string;
  privilege: string;
  cipherSuite: number;
  /** Never shown: scrubbed from anything quoted, in case a BMC or tool ever echoes it. */
  password: string;
}

/** Lines `-v` adds that say nothing about the outcome. */
const NOISE = [
  /^Loading IANA PEN Registry/,
  /^Running Get VSO Capabilities/,
  // The VSO capabilities probe of -v; chassis commands report their own failures as "... failed: <reason>".
  /^Invalid completion code received: /,
  /^Discovered IPMB address/,
  /^Get HPM\.x Capabilities request failed/,
  /^Password:\s*$/,
];

export function meaningfulLines(output: IpmitoolOutput): string[] {
  return `${output.stdout}\n${output.stderr}`
    .split('\n')
    .map((line) =>
      line
        .replace(/^Password:\s*/, '')
        .replace(/^>\s*/, '')
        .trim(),
    )
    .filter((line) => line !== '' && !NOISE.some((noise) => noise.test(line)));
}

/** Completion codes (ipmitool's wording) that mean the BMC cannot do this, may pass, or want more privilege. */
const UNSUPPORTED =
  /Invalid data field in request|Invalid command|Parameter not supported|Invalid data field|not supported for this target/i;
const TRANSIENT =
  /Node busy|Out of space|Timeout|Unspecified error|Destination unavailable|Cannot execute duplicated request|SDR Repository in update mode|Device firmware in update mode|BMC initialization in progress/i;

function sessionFailure(lines: string[], ctx: IpmiContext): PowerDriverError | null {
  const all = lines.join('\n');
  const user = ctx.username === '' ? 'the null user' : `user '${ctx.username}'`;
  const rakp = /RAKP \d+ message indicates an error : (.+)/.exec(all)?.[1]?.trim();
  if (/RAKP \d+ HMAC is invalid|invalid integrity check value/i.test(all) || rakp === 'invalid integrity check value') {
    return new PowerDriverError('auth', `BMC ${ctx.target} rejected the password of ${user}`);
  }
  if (rakp) {
    if (/unauthorized name|invalid name length/i.test(rakp))
      return new PowerDriverError('auth', `BMC ${ctx.target} does not know ${user} (${rakp})`);
    if (/role|privilege/i.test(rakp)) {
      return new PowerDriverError(
        'auth',
        `BMC ${ctx.target} refused privilege ${ctx.privilege} for ${user} (${rakp}); try privilege=operator`,
      );
    }
    if (/insufficient resources/i.test(rakp)) return new PowerDriverError('protocol', `BMC ${ctx.target} has no free session (${rakp})`);
    if (/cipher|algorithm|payload/i.test(rakp)) {
      return new PowerDriverError(
        'config',
        `BMC ${ctx.target} does not accept cipher suite ${ctx.cipherSuite} (${rakp}); set cipherSuite (3 or 17)`,
      );
    }
    return new PowerDriverError('auth', `BMC ${ctx.target} refused the session for ${user} (${rakp})`);
  }
  if (/Unsupported cipher suite ID/i.test(all))
    return new PowerDriverError('config', `ipmitool does not support cipher suite ${ctx.cipherSuite}`);
  if (/Invalid user name|Activate Session command failed|Get Session Challenge command failed|Activate Session error/i.test(all)) {
    return new PowerDriverError('auth', `BMC ${ctx.target} refused the IPMI 1.5 session for ${user} (check username and password)`);
  }
  if (/Address lookup for .* failed/i.test(all)) return new PowerDriverError('unreachable', `cannot resolve the BMC address ${ctx.target}`);
  if (/Get Auth Capabilities|Get Channel Authentication Capabilities|No response from remote controller|Could not open socket/i.test(all)) {
    return new PowerDriverError('unreachable', `no answer from BMC ${ctx.target}`);
  }
  if (/Unable to establish (IPMI v2 \/ RMCP\+|LAN|IPMI v1\.5)/i.test(all)) {
    const suites = /Unable to Get Channel Cipher Suites/i.test(all) ? ` (it lists no cipher suites; set cipherSuite)` : '';
    return new PowerDriverError('unreachable', `no IPMI session with BMC ${ctx.target}${suites}`);
  }
  return null;
}

function commandFailure(lines: string[], ctx: IpmiContext): PowerDriverError | null {
  const failed = lines.find((line) => /\bfailed: /.test(line));
  if (!failed) return null;
  const said = scrub(failed, ctx.password);
  const what = `BMC ${ctx.target} refused ${ctx.command}: ${said}`;
  if (/Insufficient privilege level/i.test(failed)) {
    return new PowerDriverError('auth', `${what} (privilege ${ctx.privilege} is not enough; use operator or administrator)`);
  }
  if (/not supported in present state/i.test(failed)) return new PowerDriverError('refused', what);
  if (UNSUPPORTED.test(failed)) return new PowerDriverError('unsupported', `BMC ${ctx.target} does not support ${ctx.command}: ${said}`);
  if (TRANSIENT.test(failed)) return new PowerDriverError('protocol', what);
  return new PowerDriverError('refused', what);
}

/**
 * The first match of `expected` in ipmitool's output, or a PowerDriverError saying why there is none:
 * a session failure (auth, unreachable, cipher suite), a refused command (even with exit code 0), or
 * output that does not say what was expected.
 */
export function interpretIpmitool(output: IpmitoolOutput, expected: RegExp, ctx: IpmiContext): RegExpExecArray {
  const lines = meaningfulLines(output);
  const refused = commandFailure(lines, ctx);
  if (refused) throw refused;
  const match = expected.exec(lines.join('\n'));
  if (output.code === 0 && match) return match;
  if (output.code !== 0) {
    const session = sessionFailure(lines, ctx);
    if (session) throw session;
  }
  const said = scrub(lines.slice(-3).join(' / '), ctx.password).slice(0, 200) || '(nothing)';
  const exit = output.code === null ? 'was killed' : `exited ${output.code}`;
  throw new PowerDriverError('protocol', `ipmitool ${ctx.command} on ${ctx.target} ${exit} and printed: ${said}`);
}
