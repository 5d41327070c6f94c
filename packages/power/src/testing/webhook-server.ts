/** A webhook target for tests (a PDU or custom gear), on loopback over HTTP: records every call, keeps a power state. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface WebhookServerOptions {
  /** The header every call must carry (`Name: value`), else 401. */
  secretHeader?: string;
  power?: 'on' | 'off';
}

export interface WebhookServer {
  url: string;
  calls: WebhookCall[];
  power: 'on' | 'off';
  boot: 'pxe' | 'disk' | null;
  /** What GET /status answers: a status code and a body; default 200 `{"state":"<power>"}`. */
  status: (power: 'on' | 'off') => { code: number; body: string; type?: string };
  /** The stored parameters of a `webhook` node on this server (every URL). */
  parameters: Record<string, string>;
  stop(): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions = {}): Promise<WebhookServer> {
  const [headerName = '', ...rest] = (options.secretHeader ?? '').split(':');
  const headerValue = rest.join(':').trim();
  const state: Omit<WebhookServer, 'url' | 'parameters' | 'stop'> = {
    calls: [],
    power: options.power ?? 'off',
    boot: null,
    status: (power) => ({ code: 200, body: JSON.stringify({ state: power }), type: 'application/json' }),
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      state.calls.push({ method: req.method ?? '', path, headers: req.headers });
      const send = (code: number, body = '', type = 'text/plain') => {
        res.writeHead(code, { 'content-type': type });
        res.end(body);
      };
      if (headerName && req.headers[headerName.trim().toLowerCase()] !== headerValue) return send(401, 'unauthorized');
      if (req.method === 'GET' && path === '/status') {
        const { code, body, type } = state.status(state.power);
        return send(code, body, type);
      }
      if (req.method !== 'POST') return send(405);
      const actions: Record<string, () => void> = {
        '/on': () => (state.power = 'on'),
        '/off': () => (state.power = 'off'),
        '/soft-off': () => (state.power = 'off'),
        '/cycle': () => (state.power = 'on'),
        '/boot/pxe': () => (state.boot = 'pxe'),
        '/boot/disk': () => (state.boot = 'disk'),
      };
      const action = actions[path];
      if (!action) return send(404, 'no such outlet');
      action();
      send(200, 'ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const parameters: Record<string, string> = {
    powerOnUrl: `${url}/on`,
    powerOffUrl: `${url}/off`,
    powerStatusUrl: `${url}/status?outlet=3&token=query-token`,
    powerCycleUrl: `${url}/cycle`,
    softOffUrl: `${url}/soft-off`,
    bootPxeUrl: `${url}/boot/pxe`,
    bootDiskUrl: `${url}/boot/disk`,
  };
  if (options.secretHeader) parameters.secretHeader = options.secretHeader;
  return Object.assign(state, {
    url,
    parameters,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
