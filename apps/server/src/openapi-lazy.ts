import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenApiRoutes, OpenApiRoutesOptions } from './openapi.js';
import { describeError } from './logger.js';

/** The REST routes' prefix: procedures declare `/v1/...`, served under `/api/v1/...`. */
export const REST_PREFIX = '/api';

const isOpenApiPath = (path: string) =>
  path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/') || path.startsWith(`${REST_PREFIX}/`);

/**
 * The OpenAPI routes (openapi.ts), loaded and built on the first request for one of them: loading
 * trpc-to-openapi and generating the document would otherwise add a good part of a second to every
 * start. Recognising their paths needs neither.
 */
export function createLazyOpenApiRoutes(options: OpenApiRoutesOptions): OpenApiRoutes {
  let routes: Promise<OpenApiRoutes> | undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!isOpenApiPath(path)) return false;
    routes ??= import('./openapi.js').then((openapi) => openapi.createOpenApiRoutes(options));
    routes.then(
      (handle) => handle(req, res),
      (error: unknown) => {
        options.logger.error('could not build the OpenAPI routes', describeError(error));
        const body = JSON.stringify({ message: 'the REST API is unavailable; see the server log', code: 'INTERNAL_SERVER_ERROR' });
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
    );
    return true;
  };
}
