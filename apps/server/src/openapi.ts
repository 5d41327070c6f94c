import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TRPCError } from '@trpc/server';
import {
  DOMAIN_ERRORS,
  TRANSPORT_ERRORS,
  accessOf,
  appRouter,
  createContext,
  errorHeaders,
  errorsOf,
  type ErrorSpec,
  type OpenApiMeta,
  type ProcedureFacts,
  type CreateContextOptions,
  type RateLimiter,
} from '@metalyard/api';
import type { Application } from '@metalyard/usecases';
import { macAddressSchema } from '@metalyard/domain';
import { createOpenApiNodeHttpHandler, generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { handleDocs } from './docs.js';
import type { Logger } from './logger.js';
import { REST_PREFIX } from './openapi-lazy.js';
import { baseUrlOf } from './boot.js';
const VERSION = '1.0.0';

/** Every error a client can meet, from the API's one error map. */
const ERROR_CODES = [...Object.values(DOMAIN_ERRORS), ...Object.values(TRANSPORT_ERRORS)].sort((a, b) => a.status - b.status);

/** Descriptions are markdown: `<token>` would be read as an HTML tag. */
const markdownText = (text: string) => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');

const DESCRIPTION = `The Metalyard API as REST routes, generated from the same router as the tRPC API at /trpc.

**Authentication.** Send \`Authorization: Bearer <token>\`: an API token (\`metalyard tokens create\`,
\`createadmin\`) or a 12-hour session token from \`POST /api/v1/auth/login\`. The machine reports take the
node's per-node token instead (returned once, as \`machineToken\`, by the call that started commissioning or
deployment). Only \`POST /api/v1/enlist\`, \`POST /api/v1/auth/login\` and the machine's lookup need no token.

**Errors** are JSON: \`{ "message": "node 'k3v9qa' is allocated: allowed from allocated: deploy, release, markBroken",
"code": "CONFLICT", "data": { "code": "CONFLICT", "httpStatus": 409, "details": { ... } } }\` — \`message\` is
readable, \`code\` is one of:

${ERROR_CODES.map((spec) => `- ${spec.code} (${spec.status}): ${markdownText(spec.description)}`).join('\n')}

Invalid input is a 400 whose \`data.fieldErrors\` maps each field's path to its messages, and \`issues\` lists them.`;

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['message', 'code'],
  properties: {
    message: { type: 'string', description: 'What went wrong, for a person to read.' },
    code: { type: 'string', enum: [...new Set(ERROR_CODES.map((spec) => spec.code))], description: 'The error code.' },
    data: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        httpStatus: { type: 'integer' },
        requestId: { type: 'string', description: 'The request’s id (also its X-Request-Id header): quote it when reporting the error.' },
        fieldErrors: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'string' } },
          description: 'With 400: messages per field path.',
        },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'Facts about a refusal: the node, its status, the actions allowed.',
        },
      },
    },
    issues: {
      type: 'array',
      items: { type: 'object', additionalProperties: true },
      description: 'With invalid input: each problem found.',
    },
  },
};

/** The tags of the REST routes, in the order the reference shows them. */
const TAGS: Record<string, string> = {
  enlistment: 'Machines enlist themselves (anonymous, landing **declared**) or are enlisted by a user (landing **ready**).',
  nodes: 'The inventory and the lifecycle: list, accept, acquire, deploy, release, commission, retire.',
  power: 'Power control through the node’s BMC (ipmi, redfish, webhook). A BMC that refuses or does not answer is a 502.',
  machine: 'What a machine reports about itself, with its per-node token.',
  events: 'The event log: every transition and power operation.',
  tags: 'Labels that group nodes.',
  zones: 'Physical zones (a room, a rack).',
  pools: 'Resource pools nodes are acquired from.',
  auth: 'Signing in and out, and who the caller is.',
  tokens: 'The caller’s API tokens.',
  users: 'User accounts (admins only).',
};

type Operation = {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
};

/** Each REST operation (`post /v1/enlist`) → what decides its errors: its access, its kind, its area. */
function procedureFacts(): Map<string, ProcedureFacts> {
  const facts = new Map<string, ProcedureFacts>();
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: OpenApiMeta } }>;
  for (const [path, procedure] of Object.entries(procedures)) {
    const route = procedure._def.meta?.openapi;
    const access = accessOf(path);
    if (!route || !access || (procedure._def.type !== 'query' && procedure._def.type !== 'mutation')) continue;
    const takesBody = route.method !== 'GET' && route.method !== 'DELETE';
    facts.set(`${route.method.toLowerCase()} ${route.path}`, { access, type: procedure._def.type, takesBody, area: route.tags?.[0] });
  }
  return facts;
}

/** `PAYLOAD_TOO_LARGE` → `PayloadTooLarge`: the name of a status's shared response. */
const responseName = (spec: ErrorSpec) =>
  spec.code
    .toLowerCase()
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/**
 * Every operation declares each status it can answer (errorsOf: the one error map and the
 * procedure's access and kind), each pointing at a shared response with the one error schema the
 * server really sends and its headers; public operations say they need no token.
 */
function describeErrors(document: OpenAPIObject): OpenAPIObject {
  const facts = procedureFacts();
  const responses: Record<string, unknown> = {};
  const responseOf = (status: number, specs: ErrorSpec[]): string => {
    const name = responseName(specs[0]!);
    const headerNames = [...new Set(specs.flatMap((spec) => spec.headers ?? []))];
    responses[name] ??= {
      description: specs.map((spec) => `${spec.code}: ${markdownText(spec.description)}`).join(' '),
      ...(headerNames.includes('retry-after')
        ? {
            headers: {
              'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
            },
          }
        : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    return `#/components/responses/${name}`;
  };
  // The response of a status lists every code it can carry, so it is built from all of them.
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const spec of ERROR_CODES) byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), spec]);

  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) {
      const procedure = facts.get(`${method} ${path}`);
      if (!procedure) throw new Error(`the OpenAPI operation ${method} ${path} has no procedure`);
      if (procedure.access === 'public') operation.security = [];
      const success = Object.fromEntries(Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2')));
      const statuses = [...new Set(errorsOf(procedure).map((spec) => spec.status))];
      operation.responses = {
        ...success,
        ...Object.fromEntries(statuses.map((status) => [String(status), { $ref: responseOf(status, byStatus.get(status)!) }])),
      };
    }
  }
  // trpc-to-openapi's own error schemas are replaced by the one above.
  const schemas = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith('error.')));
  document.components = {
    ...document.components,
    schemas: { ...schemas, Error: ERROR_SCHEMA },
    responses: responses as NonNullable<OpenAPIObject['components']>['responses'],
  };
  return document;
}

/**
 * A record keyed by an enum (counts per status) is generated with `required` keys but no
 * `properties`; spelling its properties out says the same in the form linters and viewers read.
 */
function spellOutEnumRecords(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(spellOutEnumRecords);
  if (typeof value !== 'object' || value === null) return;
  const schema = value as Record<string, unknown>;
  const keys = (schema.propertyNames as { enum?: string[] } | undefined)?.enum;
  if (schema.type === 'object' && keys && !schema.properties && Array.isArray(schema.required)) {
    schema.properties = Object.fromEntries(keys.map((key) => [key, schema.additionalProperties ?? {}]));
  }
  Object.values(schema).forEach(spellOutEnumRecords);
}

/**
 * A MAC address is normalised by a transform, which has no JSON Schema of its own: in outputs (a
 * node's hardware) it is a plain string. Registered once, before the first document is generated.
 */
function describeTransformedOutputs(): void {
  if (!z.globalRegistry.has(macAddressSchema)) {
    z.globalRegistry.add(macAddressSchema, { type: 'string', description: 'A MAC address; returned as aa:bb:cc:dd:ee:ff.' });
  }
}

/** The OpenAPI 3.1 document of every query and mutation (subscriptions stay on /trpc: they are SSE). */
export function createOpenApiDocument(): OpenAPIObject {
  describeTransformedOutputs();
  const document = describeErrors(
    generateOpenApiDocument(appRouter, {
      title: 'Metalyard',
      description: DESCRIPTION,
      version: VERSION,
      baseUrl: REST_PREFIX,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: "An API token or session token of a user, or a node's per-node token for the machine reports.",
        },
      },
      tags: Object.keys(TAGS),
    }),
  );
  spellOutEnumRecords(document.paths);
  // No licence is granted (the workspace is private); the document says so rather than leaving it out.
  document.info.license = { name: 'UNLICENSED' };
  document.tags = Object.entries(TAGS).map(([name, description]) => ({ name, description }));
  document.servers = [{ url: REST_PREFIX, description: 'This server: the REST routes are under /api.' }];
  return document;
}

export interface OpenApiRoutesOptions {
  app: Application;
  anonymousLimiter: RateLimiter | null;
  maxBodyBytes: number;
  logger: Logger;
  /** METALYARD_BOOT_URL (image URLs in machine.lookup); null: the request's Host. */
  bootUrl: string | null;
  /** The context's parts taken from the request (credentials, the client's address, the request id). */
  requestContext: (req: IncomingMessage) => Omit<CreateContextOptions, 'app' | 'anonymousLimiter'>;
  /** Told of every failed call (the server logs security events and failures). */
  onError: (opts: { error: TRPCError; path?: string | undefined; input?: unknown; req: IncomingMessage }) => void;
}

/** Answers a request when it is for the document, the reference page or a REST route; false otherwise. */
export type OpenApiRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * `/openapi.json`, `/docs` (docs.ts), and the REST routes at `/api/v1/...`, through trpc-to-openapi's Node
 * handler with the same context as /trpc (the Authorization header, the caller's address).
 */
export function createOpenApiRoutes(options: OpenApiRoutesOptions): OpenApiRoutes {
  const document = JSON.stringify(createOpenApiDocument());
  const rest = createOpenApiNodeHttpHandler({
    router: appRouter,
    maxBodySize: options.maxBodyBytes,
    createContext: ({ req }) =>
      createContext({
        app: options.app,
        anonymousLimiter: options.anonymousLimiter,
        ...options.requestContext(req),
        baseUrl: baseUrlOf(req, options.bootUrl),
      }),
    responseMeta: ({ errors }) => ({ headers: errorHeaders(errors) }),
    onError: ({ error, path, input, req }) => options.onError({ error, path, input, req }),
  });
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === '/openapi.json') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(document),
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : document);
      return true;
    }
    if (handleDocs(req, res, path)) return true;
    if (path.startsWith('/docs/')) {
      // The lazy loader (openapi-lazy.ts) sent every /docs/ path here: what docs.ts does not serve is missing.
      const body = JSON.stringify({ message: `no route for ${path}`, code: 'NOT_FOUND' });
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    if (!path.startsWith(`${REST_PREFIX}/`)) return false;
    // Procedures declare their paths without the prefix.
    req.url = (req.url ?? '/').slice(REST_PREFIX.length);
    // A POST whose route takes no body (power/on) is sent without one, and so without a type, by
    // clients that follow the document: an empty body is empty JSON, not an unsupported media type.
    const empty = !req.headers['transfer-encoding'] && Number(req.headers['content-length'] ?? 0) === 0;
    if (empty && !req.headers['content-type']) req.headers['content-type'] = 'application/json';
    void rest(req, res);
    return true;
  };
}
