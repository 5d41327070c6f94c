#!/usr/bin/env node
/** The forwarder as a process (see forward.ts): `forward-main.js --unix PATH --to HOST:PORT | --listen HOST:PORT --unix PATH`. */
import { forward, hostPort } from './forward.js';

function main(argv: string[]): void {
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const unix = option('--unix');
  const to = option('--to');
  const listen = option('--listen');
  if (!unix || (!to && !listen)) {
    process.stderr.write('usage: forward.js --unix PATH --to HOST:PORT | --listen HOST:PORT --unix PATH\n');
    process.exit(2);
  }
  const server = to ? forward(unix, hostPort(to)) : forward(hostPort(listen!), unix);
  server.on('listening', () => process.stdout.write('forwarding\n'));
  server.on('error', (error) => {
    process.stderr.write(`forward: ${error.message}\n`);
    process.exit(1);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2));
