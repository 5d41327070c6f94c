import { InvalidArgumentError } from 'commander';

/** Parses repeated `key=value` arguments into a record. */
export function collectKeyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`'${value}' is not key=value (e.g. address=10.0.0.10)`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

/** Collects a repeatable option's values in order. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DAY_MS = 86_400_000;

/** `500ms`, `90s`, `10m`, `1h` (a bare number is seconds), at most a day: milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS_MS[(match[2] ?? 's') as keyof typeof UNITS_MS] : Number.NaN;
  if (!(ms > 0 && ms <= DAY_MS)) throw new InvalidArgumentError(`'${value}' is not a duration of up to a day (e.g. 90s, 10m, 1h)`);
  return Math.round(ms);
}
