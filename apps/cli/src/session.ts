import type { Command } from 'commander';
import type { MetalyardClient } from '@metalyard/sdk';
import { anonymousClient, resolveTarget, userClient, type Target } from './config/target.js';

/** The options every command takes (declared once, on the program). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
}

/** What a command's action needs besides its own arguments: output mode and a client. */
export interface Session {
  json: boolean;
  target(): Promise<Target>;
  /** A client authenticated with the profile's (or METALYARD_TOKEN's) token. */
  client(): Promise<MetalyardClient>;
  /** A client that sends no token. */
  anonymousClient(): Promise<MetalyardClient>;
}

export function sessionOf(command: Command): Session {
  const options = command.optsWithGlobals<GlobalOptions>();
  const target = () => resolveTarget(options.profile);
  return {
    json: options.json === true,
    target,
    client: async () => userClient(await target()),
    anonymousClient: async () => anonymousClient(await target()),
  };
}
