import type { IncomingMessage, ServerResponse } from 'node:http';
import { appRouter, createContext, type Services } from '@metalyard/api';
import { macAddressSchema } from '@metalyard/domain';
import { createOpenApiNodeHttpHandler, generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { describeError, type Logger } from './logger.js';
import { REST_PREFIX } from './openapi-lazy.js';
const VERSION = '1.0.0';

const DESCRIPTION = `The Metalyard API as REST routes, generated from the same router as the tRPC API at /trpc.

**Authentication.** Send \`Authorization: Bearer <token>\`: an API token (\`metalyard tokens create\`,
\`createadmin\`) or a 12-hour session token from \`POST /api/v1/auth/login\`. The machine reports take the
node's per-node token instead (returned once, as \`machineToken\`, by the call that started commissioning or
deployment). Only \`POST /api/v1/enlist\` and \`POST /api/v1/auth/login\` need no token.

**Errors** are JSON: \`{ "message": "node 'k3v9qa' is allocated: allowed from allocated: deploy, release, markBroken",
"code": "CONFLICT", "data": { "code": "CONFLICT", "httpStatus": 409, "details": { ... } } }\` — \`message\` is
readable, \`code\` is one of BAD_REQUEST (400), UNAUTHORIZED (401), FORBIDDEN (403), NOT_FOUND (404),
CONFLICT (409: a taken MAC or hostname, a transition the node's state forbids), TOO_MANY_REQUESTS (429,
with Retry-After), INTERNAL_SERVER_ERROR (500, generic: the cause goes to the server's log). Invalid input is
a 400 whose \`data.fieldErrors\` maps each field's path to its messages, and \`issues\` lists them.`;

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['message', 'code'],
  properties: {
    message: { type: 'string', description: 'What went wrong, for a person to read.' },
    code: { type: 'string', description: 'The error code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS, …' },
    data: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        httpStatus: { type: 'integer' },
        fieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'With 400: messages per field path.' },
        details: { type: 'object', additionalProperties: true, description: 'Facts about a refusal: the node, its status, the actions allowed.' },
      },
    },
    issues: { type: 'array', items: { type: 'object', additionalProperties: true }, description: 'With invalid input: each problem found.' },
  },
};

/** Every error response in the document points at the one error schema the server really sends. */
function describeErrors(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA } };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, { responses?: Record<string, { content?: unknown }> }>)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (status.startsWith('2')) continue;
        response.content = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
      }
    }
  }
  return document;
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
  return describeErrors(
    generateOpenApiDocument(appRouter, {
      title: 'Metalyard',
      description: DESCRIPTION,
      version: VERSION,
      baseUrl: REST_PREFIX,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token or session token of a user, or a node\'s per-node token for the machine reports.',
        },
      },
      tags: ['enlistment', 'nodes', 'machine', 'events', 'tags', 'zones', 'pools', 'auth', 'tokens', 'users'],
    }),
  );
}

/** /docs: a page that renders /openapi.json in the browser with a few lines of script; it fetches nothing else. */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Metalyard API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1d2329; }
  h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; text-transform: capitalize; }
  details { border: 1px solid #d0d7de; border-radius: 6px; margin: .4rem 0; padding: .3rem .6rem; }
  summary { cursor: pointer; } code, pre { font: 13px ui-monospace, monospace; }
  pre { background: #f6f8fa; padding: .6rem; overflow: auto; max-height: 24rem; }
  .method { display: inline-block; width: 4.2rem; font-weight: 700; }
  .GET { color: #0969da; } .POST { color: #1a7f37; } .PATCH { color: #9a6700; } .DELETE { color: #cf222e; }
  .lock { color: #57606a; font-size: 12px; }
</style>
</head>
<body>
<h1>Metalyard API reference</h1>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>. Routes are under <code>/api</code>.</p>
<div id="intro"></div>
<div id="operations">Loading…</div>
<script>
const text = (tag, content, className) => { const node = document.createElement(tag); node.textContent = content; if (className) node.className = className; return node; };
const json = (value) => text('pre', JSON.stringify(value, null, 2));
fetch('/openapi.json').then((response) => response.json()).then((doc) => {
  document.getElementById('intro').append(text('pre', doc.info.description));
  const root = document.getElementById('operations');
  root.textContent = '';
  const byTag = new Map();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = (operation.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method: method.toUpperCase(), operation });
    }
  }
  for (const [tag, entries] of byTag) {
    root.append(text('h2', tag));
    for (const { path, method, operation } of entries) {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.append(text('span', method, 'method ' + method), text('code', doc.servers[0].url + path), text('span', ' — ' + (operation.summary || '')));
      if (operation.security) summary.append(text('span', '  (bearer token)', 'lock'));
      details.append(summary);
      if (operation.parameters) details.append(text('h4', 'Parameters'), json(operation.parameters));
      if (operation.requestBody) details.append(text('h4', 'Request body'), json(operation.requestBody.content['application/json'].schema));
      details.append(text('h4', 'Responses'), json(operation.responses));
      root.append(details);
    }
  }
}).catch((error) => { document.getElementById('operations').textContent = 'Could not load /openapi.json: ' + error; });
</script>
</body>
</html>
`;

export interface OpenApiRoutesOptions {
  services: Services;
  maxBodyBytes: number;
  logger: Logger;
}

/** Answers a request when it is for the document, the reference page or a REST route; false otherwise. */
export type OpenApiRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * `/openapi.json`, `/docs`, and the REST routes at `/api/v1/...`, through trpc-to-openapi's Node
 * handler with the same context as /trpc (the Authorization header, the caller's address).
 */
export function createOpenApiRoutes(options: OpenApiRoutesOptions): OpenApiRoutes {
  const document = JSON.stringify(createOpenApiDocument());
  const rest = createOpenApiNodeHttpHandler({
    router: appRouter,
    maxBodySize: options.maxBodyBytes,
    createContext: ({ req }) =>
      createContext({ services: options.services, authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') options.logger.error('procedure failed', { path, api: 'rest', ...describeError(error.cause ?? error) });
    },
  });
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === '/openapi.json' || path === '/docs') {
      const [type, body] = path === '/docs' ? ['text/html; charset=utf-8', DOCS_PAGE] : ['application/json', document];
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (!path.startsWith(`${REST_PREFIX}/`)) return false;
    // Procedures declare their paths without the prefix.
    req.url = (req.url ?? '/').slice(REST_PREFIX.length);
    void rest(req, res);
    return true;
  };
}
