import { createInterface } from 'node:readline';
import { CliError, EXIT } from '../output/exit-codes.js';

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Reads a secret on a terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (ENTER.has(char) || char === CTRL_D) return finish();
        if (char === CTRL_C) return finish(new CliError('interrupted', EXIT.usage));
        if (BACKSPACE.has(char)) secret = secret.slice(0, -1);
        else secret += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** Reads the first line of a piped stdin (`echo $TOKEN | metalyard login …`). */
async function readFirstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/** Asks for a secret: hidden input on a terminal, else the first line of stdin. */
async function promptSecret(label: string): Promise<string> {
  const secret = process.stdin.isTTY ? await readHidden(`${label}: `) : await readFirstLine();
  if (!secret.trim()) throw new CliError(`no ${label.toLowerCase()} given`, EXIT.usage);
  return secret;
}

/** Asks for the token (surrounding spaces are never part of one). */
export async function promptToken(): Promise<string> {
  return (await promptSecret('Token')).trim();
}

/** Asks for a password, kept as typed. */
export function promptPassword(): Promise<string> {
  return promptSecret('Password');
}
