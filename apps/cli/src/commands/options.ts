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
