import type { Command } from 'commander';

/**
 * A command of a noun (`metalyard nodes deploy`), defined once. Those that were top-level verbs
 * before the noun-verb grammar (`metalyard deploy`) are registered there too, hidden from the help.
 */
export interface Verb {
  name: string;
  /** Gives the command its description, arguments, options and action. */
  define(command: Command): Command;
  /** Also `metalyard NAME …`, as in earlier versions. */
  topLevelAlias?: boolean;
}

const hidden = new WeakSet<Command>();

/** Whether the help (and completion) leave this command out: an earlier spelling. */
export const isHidden = (command: Command) => hidden.has(command);

/** Registers each verb under the noun, and the ones with a top-level alias on the program, hidden. */
export function registerVerbs(noun: Command, program: Command, verbs: readonly Verb[]): void {
  for (const verb of verbs) {
    verb.define(noun.command(verb.name));
    if (verb.topLevelAlias) hidden.add(verb.define(program.command(verb.name, { hidden: true })));
  }
}
