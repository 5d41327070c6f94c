import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { CliError, EXIT } from '../output/exit-codes.js';

export interface Profile {
  url: string;
  token: string;
}

/** What `profiles.json` holds. The token is a secret: the file is readable by its owner only. */
export interface ProfileFile {
  default: string | null;
  profiles: Record<string, Profile>;
}

/** `$XDG_CONFIG_HOME/metalyard`, or `~/.config/metalyard`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'metalyard');
}

export function profilesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'profiles.json');
}

export async function readProfiles(): Promise<ProfileFile> {
  const path = profilesPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { default: null, profiles: {} };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<ProfileFile>;
    return { default: parsed.default ?? null, profiles: parsed.profiles ?? {} };
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or delete it and log in again`);
  }
}

/** Writes the file atomically, owner-only (folder 0700, file 0600). */
export async function writeProfiles(file: ProfileFile): Promise<void> {
  const dir = configDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const path = profilesPath();
  const staging = `${path}.${process.pid}.tmp`;
  await writeFile(staging, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(staging, path);
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(`'${name}' is not a profile name: use letters, digits, '.', '_' and '-'`, EXIT.usage);
  }
  return name;
}
