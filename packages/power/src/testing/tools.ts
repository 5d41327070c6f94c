/** Whether the programs a simulator needs are installed, so a test can skip with a reason instead of failing. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findProgram(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Null when ipmi_sim and ipmitool are installed, else what is missing and how to install it. */
export function ipmiToolsMissing(): string | null {
  const missing = ['ipmi_sim', 'ipmitool'].filter((name) => findProgram(name) === null);
  if (missing.length === 0) return null;
  return `${missing.join(' and ')} not installed: apt-get install -y --no-install-recommends openipmi ipmitool`;
}
