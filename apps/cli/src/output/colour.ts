import pc from 'picocolors';

/**
 * Colours only on a terminal: never when NO_COLOR is set (to anything) or FORCE_COLOR is 0,
 * always when FORCE_COLOR is set to anything else.
 */
export function colourEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export const colours = pc.createColors(colourEnabled());
export type Paint = (text: string) => string;
