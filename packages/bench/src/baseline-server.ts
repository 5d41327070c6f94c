/**
 * The baseline: what bare node:http + better-sqlite3 do with the same work as Metalyard's server
 * (JSON parse, minimal validation, the node and its MAC rows in one transaction per request, WAL,
 * synchronous=NORMAL, the created node as JSON in tRPC's wire shape). It also answers the acquire,
 * release and list calls the bench makes, so every figure has a baseline measured in the same run.
 * Run as a process: DATABASE_URL (a file path), HOST, PORT, METALYARD_ADMIN_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Sqlite from 'better-sqlite3';

const SCHEMA = `
  create table if not exists node (
    id integer primary key autoincrement, system_id text not null unique, hostname text not null unique,
    status text not null, architecture text not null, power_type text not null, power_parameters text not null,
    owner text, created_at text not null, updated_at text not null);
  create index if not exists node_status_id on node (status, id);
  create table if not exists mac_address (
    id integer primary key autoincrement, address text not null unique,
    node_id integer not null references node (id) on delete cascade);
  create index if not exists mac_address_node_id on mac_address (node_id);`;

const ARCHITECTURES = new Set([
  'amd64/generic',
  'arm64/generic',
  'i386/generic',
  'armhf/generic',
  'ppc64el/generic',
  's390x/generic',
  'riscv64/generic',
]);
const MAC = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;

interface NodeRow {
  id: number;
  system_id: string;
  hostname: string;
  status: string;
  architecture: string;
  power_type: string;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const db = new Sqlite(process.env.DATABASE_URL ?? 'baseline.sqlite');
// Several processes may share the file (baseline-cluster.ts): a writer waits for the other's lock.
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.exec(SCHEMA);

const insertNode = db.prepare(
  `insert into node (system_id, hostname, status, architecture, power_type, power_parameters, owner, created_at, updated_at)
   values (?, ?, ?, ?, ?, ?, null, ?, ?) returning *`,
);
const insertMac = db.prepare('insert into mac_address (address, node_id) values (?, ?)');
const macsOf = db.prepare('select address from mac_address where node_id = ? order by address').pluck();
const claimReady = db.prepare(
  `update node set status = 'allocated', owner = ?, updated_at = ?
   where id = (select id from node where status = 'ready' order by id limit 1) returning *`,
);
const releaseNode = db.prepare(
  `update node set status = 'ready', owner = null, updated_at = ? where system_id = ? and status = 'allocated' returning *`,
);
const pageAfter = db.prepare('select * from node where id > ? order by id limit ?');

function view(row: NodeRow, macs: string[]) {
  return {
    systemId: row.system_id,
    hostname: row.hostname,
    status: row.status,
    architecture: row.architecture,
    macAddresses: macs,
    powerType: row.power_type,
    owner: row.owner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const enlist = db.transaction((input: Record<string, unknown>, status: string) => {
  if (!ARCHITECTURES.has(input.architecture as string)) throw new BadRequest(400, 'architecture: unknown');
  const macs = input.macAddresses;
  if (!Array.isArray(macs) || macs.length < 1 || macs.length > 64 || !macs.every((mac) => typeof mac === 'string' && MAC.test(mac))) {
    throw new BadRequest(400, 'macAddresses: must be 1 to 64 MAC addresses');
  }
  const normalized = macs.map((mac: string) =>
    mac
      .replace(/[^0-9a-f]/gi, '')
      .toLowerCase()
      .match(/../g)!
      .join(':'),
  );
  const systemId = randomBytes(6).toString('hex'); // wide enough that 10^5 ids never collide
  const hostname = typeof input.hostname === 'string' ? input.hostname : `node-${systemId}`;
  const now = new Date().toISOString();
  const row = insertNode.get(
    systemId,
    hostname,
    status,
    input.architecture,
    'manual',
    JSON.stringify(input.powerParameters ?? {}),
    now,
    now,
  ) as NodeRow;
  for (const mac of normalized) insertMac.run(mac, row.id);
  return view(row, normalized.sort());
});

function list(input: { limit?: number; cursor?: string | null }) {
  const limit = input.limit ?? 100;
  const after = input.cursor ? Number(input.cursor) : 0;
  const rows = pageAfter.all(after, limit + 1) as NodeRow[];
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => view(row, macsOf.all(row.id) as string[])),
    nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
  };
}

function requireToken(req: IncomingMessage): void {
  if (req.headers.authorization !== `Bearer ${process.env.METALYARD_ADMIN_TOKEN}`) throw new BadRequest(401, 'unauthorized');
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      try {
        const value: unknown = JSON.parse(text || '{}');
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new BadRequest(400, 'body is not a JSON object'));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, _res: ServerResponse): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /healthz':
      return { status: 'ok' };
    case 'POST /trpc/enlist':
      return enlist(await readJson(req), 'declared');
    case 'POST /trpc/protected.enlist':
      requireToken(req);
      return enlist(await readJson(req), 'ready');
    case 'POST /trpc/protected.nodes.acquire': {
      requireToken(req);
      await readJson(req);
      const row = claimReady.get('admin', new Date().toISOString()) as NodeRow | undefined;
      if (!row) throw new BadRequest(409, 'no ready node to acquire');
      return view(row, macsOf.all(row.id) as string[]);
    }
    case 'POST /trpc/protected.nodes.release': {
      requireToken(req);
      const { systemId } = await readJson(req);
      const row = releaseNode.get(new Date().toISOString(), systemId) as NodeRow | undefined;
      if (!row) throw new BadRequest(409, `node ${String(systemId)} is not allocated`);
      return view(row, macsOf.all(row.id) as string[]);
    }
    case 'GET /trpc/protected.nodes.list':
      requireToken(req);
      return list(JSON.parse(url.searchParams.get('input') ?? '{}') as { limit?: number; cursor?: string });
    default:
      throw new BadRequest(404, `no route for ${url.pathname}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  handle(req, res).then(
    (data) => send(res, 200, req.url === '/healthz' ? data : { result: { data } }),
    (error: unknown) => {
      const unique = error instanceof Error && /UNIQUE constraint/.test(error.message);
      const status = error instanceof BadRequest ? error.status : unique ? 409 : 500;
      send(res, status, { error: { message: error instanceof Error ? error.message : String(error), data: { httpStatus: status } } });
    },
  );
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://${address}:${port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
});
