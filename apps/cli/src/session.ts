import type { Command } from 'commander';
import type { MetalyardClient } from '@metalyard/sdk';
import { anonymousClient, resolveTarget, userClient, type Target } from './config/target.js';
import { outputChoiceOf, type OutputChoice, type OutputOptions } from './output/format.js';
import { createPrinter, type Printer } from './output/printer.js';

/** The options every command takes: --profile and --json on the program, -o and -c on each command that prints. */
export interface GlobalOptions extends OutputOptions {
  profile?: string;
}

/** What a command's action needs besides its own arguments: how to print, and a client. */
export interface Session {
  output: OutputChoice;
  /** Prints results in the chosen format. */
  print: Printer;
  target(): Promise<Target>;
  /** A client authenticated with the profile's (or METALYARD_TOKEN's) token. */
  client(): Promise<MetalyardClient>;
  /** A client that sends no token. */
  anonymousClient(): Promise<MetalyardClient>;
}

export function sessionOf(command: Command): Session {
  const options = command.optsWithGlobals<GlobalOptions>();
  const target = () => resolveTarget(options.profile);
  const output = outputChoiceOf(options);
  return {
    output,
    print: createPrinter(output),
    target,
    client: async () => userClient(await target()),
    anonymousClient: async () => anonymousClient(await target()),
  };
}
