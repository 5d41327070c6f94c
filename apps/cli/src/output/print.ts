import { stringify } from 'yaml';

/** Writes a value as stable, indented JSON: the API objects exactly as the server returned them. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a value as a YAML document. */
export function printYaml(value: unknown): void {
  process.stdout.write(stringify(value));
}

/** Prints a plain line on stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
