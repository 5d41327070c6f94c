import { z } from 'zod';

/**
 * The building blocks of the configuration schema (config.ts): one kind per shape of value, each a
 * zod schema from the variable's text (undefined or blank: the default) to its value, with the
 * accepted form in words — for the error message and for the README's table.
 */
export interface Setting<T> {
  /** The environment variable. */
  readonly env: string;
  readonly schema: z.ZodType<T, string | undefined>;
  /** The default as the README shows it (`unset` for none). */
  readonly shownDefault: string;
  /** What values look like, in the README's words and the error messages'. */
  readonly form: string;
  readonly description: string;
  /** Never echoed in an error message. */
  readonly secret: boolean;
}

export type SettingValue<S> = S extends Setting<infer T> ? T : never;

interface Common<T> {
  env: string;
  description: string;
  default: T;
  /** How the README shows the default, when not the default itself. */
  shown?: string;
  secret?: boolean;
  /** Taken as written, not trimmed (a password may begin or end with a space). */
  untrimmed?: boolean;
}

const code = (text: string | number) => `\`${text}\``;

function setting<T>(
  options: Common<T>,
  form: string,
  shownDefault: string,
  parse: (raw: string) => T | undefined,
  message = `must be ${form}`,
): Setting<T> {
  const schema = z
    .string()
    .optional()
    .transform((value, ctx): T => {
      const raw = (options.untrimmed ? value : value?.trim()) ?? '';
      if (raw.trim() === '') return options.default;
      const parsed = parse(raw);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return parsed;
    });
  return {
    env: options.env,
    schema,
    shownDefault: options.shown ?? shownDefault,
    form,
    description: options.description,
    secret: options.secret ?? false,
  };
}

/** Free text (trimmed). */
export function text(options: Common<string>): Setting<string> {
  return setting(options, 'text', code(options.default), (raw) => raw);
}

/** Text matching `pattern` (or unset: null); `form` says what it must be. */
export function optionalText(options: Omit<Common<string | null>, 'default'> & { pattern: RegExp; form: string }): Setting<string | null> {
  return setting({ ...options, default: null }, options.form, 'unset', (raw) => (options.pattern.test(raw) ? raw : undefined));
}

const DECIMAL_INTEGER = /^\d+$/;

/** A whole number in decimal digits only (`0x50`, `1e3`, `80.0` are errors), within bounds. */
export function integer(options: Common<number> & { min: number; max: number }): Setting<number> {
  const form = `a whole number (decimal digits) from ${options.min} to ${options.max}`;
  return setting(options, form, code(options.default), (raw) => {
    if (!DECIMAL_INTEGER.test(raw)) return undefined;
    const value = Number(raw);
    return value >= options.min && value <= options.max ? value : undefined;
  });
}

/** A decimal number (`2.5`), within bounds. */
export function decimal(options: Common<number> & { min: number; max: number }): Setting<number> {
  const form = `a decimal number from ${options.min} to ${options.max}`;
  return setting(options, form, code(options.default), (raw) => {
    if (!/^\d+(\.\d+)?$/.test(raw)) return undefined;
    const value = Number(raw);
    return value >= options.min && value <= options.max ? value : undefined;
  });
}

/** One of a few words (lowercase). */
export function oneOf<const V extends string>(options: Common<V> & { values: readonly V[] }): Setting<V> {
  const form = `one of ${options.values.map((value) => code(value)).join(', ')}`;
  return setting(options, form, code(options.default), (raw) => options.values.find((value) => value === raw.toLowerCase()));
}

/** on/off (also true/false, yes/no, 1/0). */
export function onOff(options: Common<boolean>): Setting<boolean> {
  return setting(options, '`on` or `off`', code(options.default ? 'on' : 'off'), (raw) => {
    const word = raw.toLowerCase();
    if (['on', 'true', 'yes', '1'].includes(word)) return true;
    if (['off', 'false', 'no', '0'].includes(word)) return false;
    return undefined;
  });
}

// ——— durations: one grammar for every one ———

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
/** A bare number is this many milliseconds: seconds, for every duration. */
export const BARE_DURATION_UNIT_MS = 1000;
/** The longest duration any setting takes: what a Node.js timer can wait (2³¹−1 ms, 24.8 days), rounded down. */
const LONGEST_MS = 24 * UNIT_MS.d!;

/**
 * A duration in milliseconds: a number with a unit — `500ms`, `30s`, `5m` (or `5min`), `1h`, `2d`,
 * also combined (`1h30m`), decimals allowed (`1.5h`) — or a bare number of seconds (`90`). Null when
 * the text is none of these.
 */
export function parseDuration(text: string): number | null {
  const raw = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * BARE_DURATION_UNIT_MS);
  if (!/^(\d+(\.\d+)?(ms|s|min|m|h|d))+$/.test(raw)) return null;
  let total = 0;
  for (const [, amount, , unit] of raw.matchAll(/(\d+(\.\d+)?)(ms|s|min|m|h|d)/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** Milliseconds as the shortest text of the grammar (`30m`, `1h30m`, `500ms`, `0`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = ms;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}

/** A duration (see parseDuration), in milliseconds, from `min` (default 0) to `max` (default 24d). */
export function duration(options: Common<number> & { min?: number; max?: number; zero?: string }): Setting<number> {
  const min = options.min ?? 0;
  const max = Math.min(options.max ?? LONGEST_MS, LONGEST_MS);
  const bounds = min === 0 ? `at most ${formatDuration(max)}` : `from ${formatDuration(min)} to ${formatDuration(max)}`;
  const zero = options.zero ? `; \`0\`: ${options.zero}` : '';
  const form = `a duration, ${bounds}${zero}`;
  const message = `must be a duration such as 500ms, 30s, 5m, 1h, 2d or 1h30m (a bare number is seconds), ${bounds}${zero.replaceAll('`', '')}`;
  return setting(
    options,
    form,
    code(formatDuration(options.default)),
    (raw) => {
      const value = parseDuration(raw);
      return value !== null && value >= min && value <= max ? value : undefined;
    },
    message,
  );
}

/** A setting whose text another part checks (a URL, a path): `check` returns an error in words, or null. */
export function checkedText(options: Common<string> & { form: string; check: (raw: string) => string | null }): Setting<string> {
  const base = setting(options, options.form, code(options.default), (raw) => raw);
  const schema = base.schema.superRefine((value, ctx) => {
    const problem = options.check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
  return { ...base, schema };
}

/** A value of a shape of its own: `parse` returns it, or undefined when the text is not `form`. */
export function parsed<T>(options: Common<T> & { form: string; parse: (raw: string) => T | undefined }): Setting<T> {
  return setting(
    options,
    options.form,
    options.shown ?? (options.default === null ? 'unset' : code(String(options.default))),
    options.parse,
  );
}
