/**
 * A Redfish service for tests, on loopback, shaped after the DMTF schema: the service root, the
 * ComputerSystemCollection, ComputerSystems with `PowerState`, `Boot` and `Actions.#ComputerSystem.Reset`
 * (allowable values inline or through an ActionInfo), basic auth, HTTPS with a self-signed certificate.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate, type Certificate } from './certificate.js';

export const RESET_TYPES = [
  'On',
  'ForceOff',
  'GracefulShutdown',
  'GracefulRestart',
  'ForceRestart',
  'PowerCycle',
  'ForceOn',
  'PushPowerButton',
  'Nmi',
];
export const BOOT_TARGETS = ['None', 'Pxe', 'Hdd', 'Cd', 'BiosSetup'];

export interface RedfishServerOptions {
  username?: string;
  password?: string;
  /** Default true: HTTPS with a certificate made at start (or `certificate`). */
  tls?: boolean;
  certificate?: Certificate;
  /** System ids; default `['1']`. */
  systems?: string[];
  /** Allowed ResetType values; null: the service does not say (and accepts these). Default RESET_TYPES. */
  resetTypes?: string[] | null;
  /** What a reset really accepts (others: 400 ActionParameterValueNotInList). Default: `resetTypes`, or all. */
  accepts?: string[];
  /** Advertise the allowed values through `@Redfish.ActionInfo` instead of inline. */
  actionInfo?: boolean;
  bootTargets?: string[];
  /** PATCH without a matching `If-Match` is answered 428 (some BMCs want the ETag). */
  requireEtag?: boolean;
  power?: 'On' | 'Off';
}

export interface RedfishRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface RedfishSystemState {
  power: 'On' | 'Off';
  boot: { target: string; enabled: string };
  resets: string[];
}

export interface RedfishServer {
  /** e.g. `https://127.0.0.1:40123`. */
  url: string;
  port: number;
  username: string;
  password: string;
  certificate: Certificate | undefined;
  /** The stored parameters of a `redfish` node on this service (verifyTls off: the certificate is self-signed). */
  parameters: Record<string, string>;
  state(id?: string): RedfishSystemState;
  /** Every request, oldest first; no credentials. */
  requests: RedfishRequest[];
  /** Behind the driver's back. */
  setPower(on: boolean, id?: string): void;
  /** Delays every answer by `ms` (to test the caller's deadline). */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'odata-version': '4.0', ...headers });
  res.end(text);
};

const error = (message: string, messageId = 'Base.1.8.GeneralError') => ({
  error: { code: messageId, message, '@Message.ExtendedInfo': [{ MessageId: messageId, Message: message, Severity: 'Warning' }] },
});

export async function startRedfishServer(options: RedfishServerOptions = {}): Promise<RedfishServer> {
  const username = options.username ?? 'root';
  const password = options.password ?? 'calvin';
  const tls = options.tls ?? true;
  const certificate = tls ? (options.certificate ?? (await selfSignedCertificate())) : undefined;
  const resetTypes = options.resetTypes === undefined ? RESET_TYPES : options.resetTypes;
  const accepts = options.accepts ?? resetTypes ?? RESET_TYPES;
  const bootTargets = options.bootTargets ?? BOOT_TARGETS;
  const systems = new Map<string, RedfishSystemState & { etag: number }>();
  for (const id of options.systems ?? ['1']) {
    systems.set(id, { power: options.power ?? 'Off', boot: { target: 'None', enabled: 'Disabled' }, resets: [], etag: 1 });
  }
  const requests: RedfishRequest[] = [];
  let delay = 0;
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const root = '/redfish/v1';

  const system = (id: string, s: RedfishSystemState) => {
    const path = `${root}/Systems/${id}`;
    const reset: Record<string, unknown> = { target: `${path}/Actions/ComputerSystem.Reset`, title: 'Reset' };
    if (resetTypes && options.actionInfo) reset['@Redfish.ActionInfo'] = `${path}/ResetActionInfo`;
    else if (resetTypes) reset['ResetType@Redfish.AllowableValues'] = resetTypes;
    return {
      '@odata.id': path,
      '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
      Id: id,
      Name: `Test system ${id}`,
      SystemType: 'Physical',
      PowerState: s.power,
      Boot: {
        BootSourceOverrideEnabled: s.boot.enabled,
        BootSourceOverrideTarget: s.boot.target,
        'BootSourceOverrideTarget@Redfish.AllowableValues': bootTargets,
      },
      Actions: { '#ComputerSystem.Reset': reset },
    };
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, text: string) => {
    const path = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '') || '/';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return json(res, 400, error('The request body is not JSON.', 'Base.1.8.MalformedJSON'));
    }
    requests.push({ method: req.method ?? '', path, body });
    if (path === root && req.method === 'GET') {
      return json(res, 200, {
        '@odata.id': root,
        '@odata.type': '#ServiceRoot.v1_15_0.ServiceRoot',
        Id: 'RootService',
        RedfishVersion: '1.17.0',
        Systems: { '@odata.id': `${root}/Systems` },
      });
    }
    if (req.headers.authorization !== expected) {
      return json(res, 401, error('The credentials are not valid.', 'Base.1.8.InsufficientPrivilege'), {
        'www-authenticate': 'Basic realm="redfish"',
      });
    }
    if (path === `${root}/Systems` && req.method === 'GET') {
      const members = [...systems.keys()].map((id) => ({ '@odata.id': `${root}/Systems/${id}` }));
      return json(res, 200, {
        '@odata.id': path,
        '@odata.type': '#ComputerSystemCollection.ComputerSystemCollection',
        'Members@odata.count': members.length,
        Members: members,
      });
    }
    const match = new RegExp(`^${root}/Systems/([^/]+)(/.*)?$`).exec(path);
    const id = match?.[1] ?? '';
    const s = systems.get(id);
    if (!s) return json(res, 404, error(`The resource at ${path} was not found.`, 'Base.1.8.ResourceMissingAtURI'));
    const rest = match?.[2] ?? '';
    if (rest === '' && req.method === 'GET') return json(res, 200, system(id, s), { etag: `W/"${s.etag}"` });
    if (rest === '/ResetActionInfo' && req.method === 'GET' && resetTypes) {
      return json(res, 200, {
        '@odata.type': '#ActionInfo.v1_3_0.ActionInfo',
        Id: 'ResetActionInfo',
        Parameters: [{ Name: 'ResetType', Required: true, DataType: 'String', AllowableValues: resetTypes }],
      });
    }
    if (rest === '/Actions/ComputerSystem.Reset' && req.method === 'POST') {
      const type = (body as { ResetType?: unknown } | undefined)?.ResetType;
      if (typeof type !== 'string' || !accepts.includes(type)) {
        return json(
          res,
          400,
          error(
            `The value ${String(type)} for the parameter ResetType is not in the list of acceptable values.`,
            'Base.1.8.ActionParameterValueNotInList',
          ),
        );
      }
      s.resets.push(type);
      if (type === 'On' || type === 'ForceOn') s.power = 'On';
      else if (type === 'ForceOff' || type === 'GracefulShutdown') s.power = 'Off';
      else if (type === 'PushPowerButton') s.power = s.power === 'On' ? 'Off' : 'On';
      s.etag++;
      return json(res, 204);
    }
    if (rest === '' && req.method === 'PATCH') {
      if (options.requireEtag && req.headers['if-match'] !== `W/"${s.etag}"`) {
        return json(
          res,
          req.headers['if-match'] ? 412 : 428,
          error('The request needs a current If-Match header.', 'Base.1.8.PreconditionRequired'),
        );
      }
      const boot = (body as { Boot?: { BootSourceOverrideTarget?: unknown; BootSourceOverrideEnabled?: unknown } } | undefined)?.Boot;
      const target = boot?.BootSourceOverrideTarget ?? s.boot.target;
      const enabled = boot?.BootSourceOverrideEnabled ?? s.boot.enabled;
      if (
        typeof target !== 'string' ||
        !bootTargets.includes(target) ||
        typeof enabled !== 'string' ||
        !['Disabled', 'Once', 'Continuous'].includes(enabled)
      ) {
        return json(res, 400, error('The value for Boot is not valid.', 'Base.1.8.PropertyValueNotInList'));
      }
      s.boot = { target, enabled };
      s.etag++;
      return json(res, 204);
    }
    return json(res, 405, error(`${req.method} is not allowed on ${path}.`, 'Base.1.8.OperationNotAllowed'));
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => setTimeout(() => handle(req, res, Buffer.concat(chunks).toString('utf8')), delay));
  };
  const server = certificate ? https.createServer({ key: certificate.key, cert: certificate.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const get = (id = '1') => {
    const s = systems.get(id);
    if (!s) throw new Error(`no system ${id}`);
    return s;
  };
  return {
    url,
    port,
    username,
    password,
    certificate,
    parameters: { address: url, username, password, verifyTls: 'false' },
    state: (id) => {
      const { power, boot, resets } = get(id);
      return { power, boot: { ...boot }, resets: [...resets] };
    },
    requests,
    setPower: (on, id) => {
      get(id).power = on ? 'On' : 'Off';
    },
    setDelay: (ms) => {
      delay = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
