/**
 * A byte-for-byte TCP forwarder between the host and the lab's network namespace, through a Unix
 * socket (a path in the file system is reachable from both sides; no address of the namespace is
 * routed to the host):
 *
 *   inside the namespace:  forward.js --unix PATH --to HOST:PORT      (Unix socket → Metalyard in the lab)
 *   on the host:           forward.js --listen 127.0.0.1:PORT --unix PATH
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

export function hostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at < 1 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${value}: expected HOST:PORT`);
  return { host: value.slice(0, at), port };
}

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close).on('close', close);
  b.on('error', close).on('close', close);
}

/** Listens on `listen` (HOST:PORT or a Unix socket path) and forwards each connection to `to`. */
export function forward(listen: { host: string; port: number } | string, to: { host: string; port: number } | string) {
  const server = createServer((socket) => pipe(socket, typeof to === 'string' ? createConnection(to) : createConnection(to.port, to.host)));
  if (typeof listen === 'string') {
    rmSync(listen, { force: true });
    server.listen(listen);
  } else server.listen(listen.port, listen.host);
  return server;
}
