import { createMetalyardClient, type MetalyardClient, type MetalyardClientOptions } from '@metalyard/sdk';
import { CliError, EXIT } from '../output/exit-codes.js';
import { readProfiles } from './profiles.js';

/** Where a command sends its calls, and as whom. */
export interface Target {
  url: string;
  token: string | null;
  /** The profile it came from, if any. */
  profile: string | null;
}

/**
 * The server and token for this run: `--profile NAME`, else the default profile; then
 * METALYARD_URL and METALYARD_TOKEN override what the profile says.
 */
export async function resolveTarget(profileName: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const file = await readProfiles();
  const name = profileName ?? file.default;
  const profile = name ? file.profiles[name] : undefined;
  if (profileName && !profile) {
    throw new CliError(
      `no profile '${profileName}': run \`metalyard login ${profileName} <url>\` (see \`metalyard profiles\`)`,
      EXIT.usage,
    );
  }
  const url = env.METALYARD_URL || profile?.url;
  if (!url) {
    throw new CliError('no server: run `metalyard login <profile> <url> [token]`, or set METALYARD_URL', EXIT.usage);
  }
  return { url, token: env.METALYARD_TOKEN || profile?.token || null, profile: profile ? name! : null };
}

export function anonymousClient(target: Target): MetalyardClient {
  return createMetalyardClient({ url: target.url, token: null });
}

/** A client that sends the token; a command that needs one fails early without it. */
export function userClient(target: Target, extra: Pick<MetalyardClientOptions, 'EventSource'> = {}): MetalyardClient {
  if (!target.token) {
    throw new CliError('no token: run `metalyard login <profile> <url> [token]`, or set METALYARD_TOKEN', EXIT.auth);
  }
  return createMetalyardClient({ url: target.url, token: target.token, ...extra });
}
