/**
 * One zod schema per power type over the stored string→string map: each field's rules, with messages that
 * name no secret (they become `powerParameters.<field>: <message>` at enlist/update time), strings coerced
 * (`port: "623"` → 623, `verifyTls: "false"` → false), unknown keys rejected. Pure: only zod.
 */
import { z } from 'zod';
import { isIPv4, isIPv6 } from './ip-address.js';

const MAX = 1024;

// ---- addresses --------------------------------------------------------------------------------------

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `value` is not a host name, IPv4 or IPv6 address, or null when it is one. */
export function hostProblem(value: string): string | null {
  if (value === '') return 'must not be empty';
  if (isIPv6(value)) return null;
  if (/^[\d.]+$/.test(value)) return isIPv4(value) ? null : 'is not a valid IPv4 address';
  if (value.length > 253) return 'is longer than 253 characters';
  const labels = value.toLowerCase().split('.');
  if (labels.every((label) => LABEL.test(label))) return null;
  return 'must be a host name, an IPv4 or an IPv6 address';
}

/** A host: trimmed, lower-cased, IPv6 brackets removed. */
const host = (type: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `required for ${type}` : 'must be a string') })
    .max(MAX)
    .transform((raw, ctx) => {
      let value = raw.trim().toLowerCase();
      if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
      const problem = hostProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem }); // the value is not repeated: it could hold credentials
      return value;
    });

// ---- scalars ----------------------------------------------------------------------------------------

const required = (type: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `required for ${type}` : 'must be a string') })
    .max(MAX, `must be at most ${MAX} characters`);
const optionalText = (max: number, message: string) => z.string({ error: 'must be a string' }).max(max, message).default('');

/** A required non-empty string, whose message never repeats the value (it may be a secret). */
const nonEmpty = (type: string) => required(type).refine((v) => v !== '', `must not be empty for ${type}`);

const integer = (min: number, max: number, fallback: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,5}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message)
    .optional()
    .transform((n) => n ?? fallback);

const port = (fallback: number) => integer(1, 65535, fallback, 'must be a port number from 1 to 65535');

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];
const flag = (fallback: boolean) =>
  z
    .string({ error: 'must be true or false' })
    .transform((raw, ctx) => {
      const value = raw.trim().toLowerCase();
      if (TRUE.includes(value)) return true;
      if (FALSE.includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    })
    .optional()
    .transform((v) => v ?? fallback);

const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string({ error: `must be one of ${values.join(', ')}` })
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }))
    .optional()
    .transform((v): T[number] => v ?? fallback);

/**
 * The stored map, then the type's own fields: a strict object (unknown keys named in the message) whose
 * input is the string map itself.
 */
const strict = <S extends z.ZodRawShape>(type: string, shape: S) => {
  const fields = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? Object.keys(shape).length === 0
          ? `power type ${type} takes no parameters (got ${issue.keys.join(', ')})`
          : `unknown parameter(s) for ${type}: ${issue.keys.join(', ')} (known: ${Object.keys(shape).join(', ')})`
        : 'must be an object of string values',
  });
  // Every field takes a string (or is absent), so the object accepts the record's output.
  type Fields = z.ZodType<z.output<typeof fields>, Record<string, string>>;
  return z
    .record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be an object of string values' })
    .pipe(fields as unknown as Fields);
};

// ---- ipmi -------------------------------------------------------------------------------------------

export const IPMI_PRIVILEGES = ['user', 'operator', 'administrator'] as const;
export const IPMI_INTERFACES = ['lanplus', 'lan'] as const;
export const IPMI_BOOT_MODES = ['legacy', 'efi'] as const;

/**
 * `username` and `password` may be empty: IPMI defines a null user (user ID 1, no name) that some BMCs
 * enable, and ipmitool then sends no name (`-U` left out) and no password (`-E` left out).
 */
export const ipmiParametersSchema = strict('ipmi', {
  address: host('ipmi'),
  username: optionalText(16, 'must be at most 16 characters (IPMI user names)'),
  password: optionalText(20, 'must be at most 20 characters (IPMI 2.0 passwords)'),
  port: port(623),
  privilege: choice(IPMI_PRIVILEGES, 'administrator'),
  cipherSuite: integer(0, 17, 3, 'must be an IPMI cipher suite from 0 to 17 (3: HMAC-SHA1 with AES-128, the common one)'),
  interface: choice(IPMI_INTERFACES, 'lanplus'),
  bootMode: choice(IPMI_BOOT_MODES, 'legacy'),
});
export type IpmiParameters = z.output<typeof ipmiParametersSchema>;

// ---- redfish ----------------------------------------------------------------------------------------

/** `host`, `host:port`, `[v6]:port`, a bare IPv6 address, or an `https://` (or explicit `http://`) URL. */
export function redfishBaseUrl(raw: string): string | { problem: string } {
  const value = raw.trim();
  const bad = { problem: 'must be a host, host:port or https://host[:port]' }; // not repeated: it could hold credentials
  let url: URL;
  try {
    if (/^https?:\/\//i.test(value)) url = new URL(value);
    else if (isIPv6(value)) url = new URL(`https://[${value}]`);
    else if (/^[^/?#@]+$/.test(value)) url = new URL(`https://${value}`);
    else return bad;
  } catch {
    return bad;
  }
  if (url.username || url.password) return { problem: 'must not hold credentials: use username and password' };
  if (url.search || url.hash) return bad;
  if (!['/', '/redfish/v1', '/redfish/v1/'].includes(url.pathname)) {
    return { problem: 'must be the BMC itself (https://host[:port]): put the system in systemPath' };
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const problem = hostProblem(hostname);
  if (problem) return { problem: `host ${problem}` };
  return url.origin;
}

const SYSTEM_PATH = /^\/redfish\/v1\/Systems\/[A-Za-z0-9._~%:@!$&'()*+,;=-]+$/;

export const redfishParametersSchema = strict('redfish', {
  address: z
    .string({ error: (i) => (i.input === undefined ? 'required for redfish' : 'must be a string') })
    .max(MAX)
    .transform((raw, ctx) => {
      const base = redfishBaseUrl(raw);
      if (typeof base === 'string') return base;
      ctx.addIssue({ code: 'custom', message: base.problem });
      return z.NEVER;
    }),
  username: nonEmpty('redfish'),
  password: nonEmpty('redfish'),
  systemPath: z
    .string({ error: 'must be a string' })
    .trim()
    .transform((v) => v.replace(/\/+$/, ''))
    .refine((v) => v === '' || (SYSTEM_PATH.test(v) && !v.includes('/..')), {
      message: 'must be a system resource such as /redfish/v1/Systems/1',
    })
    .optional()
    .transform((v) => v || undefined),
  verifyTls: flag(true),
});
/** `address` is normalized to the BMC's origin, e.g. `https://10.0.0.5:8443`. */
export type RedfishParameters = z.output<typeof redfishParametersSchema>;

// ---- webhook ----------------------------------------------------------------------------------------

const url = (type: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `required for ${type}` : 'must be a string') })
    .max(MAX)
    .transform((raw, ctx) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(raw.trim());
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
        ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      } else if (parsed.username || parsed.password) {
        ctx.addIssue({ code: 'custom', message: 'must not hold credentials: put them in secretHeader (e.g. Authorization: Basic …)' });
      } else return parsed.href;
      return z.NEVER;
    });

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** `Name: value`, sent with every webhook call; a secret: its messages never repeat it. */
const secretHeader = z
  .string({ error: 'must be a string' })
  .transform((raw, ctx) => {
    const colon = raw.indexOf(':');
    const name = raw.slice(0, colon).trim();
    const value = raw.slice(colon + 1).trim();
    if (colon < 1 || !HEADER_NAME.test(name) || value === '' || /[\r\n\0]/.test(value)) {
      ctx.addIssue({ code: 'custom', message: "must be 'Name: value' on one line, e.g. 'Authorization: Bearer <token>'" });
      return z.NEVER;
    }
    return { name, value };
  })
  .optional();

export const webhookParametersSchema = strict('webhook', {
  powerOnUrl: url('webhook'),
  powerOffUrl: url('webhook'),
  powerStatusUrl: url('webhook'),
  powerCycleUrl: url('webhook').optional(),
  softOffUrl: url('webhook').optional(),
  bootPxeUrl: url('webhook').optional(),
  bootDiskUrl: url('webhook').optional(),
  secretHeader,
  verifyTls: flag(true),
});
export type WebhookParameters = z.output<typeof webhookParametersSchema>;

// ---- manual -----------------------------------------------------------------------------------------

export const manualParametersSchema = strict('manual', {});
export type ManualParameters = z.output<typeof manualParametersSchema>;

export const POWER_PARAMETER_SCHEMAS = {
  ipmi: ipmiParametersSchema,
  redfish: redfishParametersSchema,
  webhook: webhookParametersSchema,
  manual: manualParametersSchema,
} as const;
