/** Secrets among power parameters (BMC passwords, keys): stored for the power driver, never returned or logged. */
const SECRET_KEY = /pass|secret|token|key/i;
export const REDACTED = '********';

/** Whether a power parameter holds a secret (a BMC password, a key): never returned, never logged. */
export function isSecretParameter(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Power parameters with every secret replaced by a mask (a secret's value is never read). */
export function redactPowerParameters(parameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(parameters).map((key) => [key, isSecretParameter(key) ? REDACTED : parameters[key]!]));
}
