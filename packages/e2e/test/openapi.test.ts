import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, nextMac, scratchDir, startServer, type ServerProcess } from './harness.js';

/**
 * The OpenAPI document at /openapi.json, the page at /docs, and the REST routes at /api/v1, on the
 * real server. A client generated from the document (openapi-typescript types, checked by the
 * TypeScript compiler, and openapi-fetch) runs the main flow.
 */

const scratch = scratchDir();
const generated = mkdtempSync(join(tmpdir(), 'metalyard-openapi-client-'));
let server: ServerProcess;
let document: {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
} & Record<string, unknown>;

beforeAll(async () => {
  server = await startServer(join(scratch.path, 'openapi.sqlite'));
  document = await (await fetch(`${server.url}/openapi.json`)).json();
});
afterAll(async () => {
  await server?.stop();
  scratch.remove();
  rmSync(generated, { recursive: true, force: true });
});

/** The main flow, written against the generated types: it compiles only if the document describes these routes. */
const FLOW = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export async function mainFlow(baseUrl: string, token: string, macs: [string, string]) {
  const anonymous = createClient<paths>({ baseUrl });
  const user = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
  const declared = await anonymous.POST('/v1/enlist', { body: { architecture: 'amd64/generic', macAddresses: [macs[0]] } });
  const ready = await user.POST('/v1/nodes', { body: { architecture: 'arm64/generic', macAddresses: [macs[1]], hostname: 'openapi-1' } });
  const systemId = declared.data!.systemId;
  const accepted = await user.POST('/v1/nodes/accept', { body: { systemIds: [systemId] } });
  const acquired = await user.POST('/v1/nodes/acquire', { body: { systemId } });
  const shown = await user.GET('/v1/nodes/{systemId}', { params: { path: { systemId } } });
  const released = await user.POST('/v1/nodes/{systemId}/release', { params: { path: { systemId } }, body: {} });
  const listed = await user.GET('/v1/nodes', { params: { query: { status: 'ready', limit: 10 } } });
  const refused = await anonymous.GET('/v1/nodes/{systemId}', { params: { path: { systemId } } });
  return {
    declared: declared.data!.status,
    ready: ready.data!.status,
    accepted: accepted.data!.accepted,
    acquired: [acquired.data!.status, acquired.data!.owner],
    shown: shown.data!.status,
    released: [released.data!.status, released.data!.owner],
    listed: listed.data!.items.map((node) => node.systemId),
    refused: [refused.response.status, refused.error?.code],
  };
}
`;

/** Type-checks flow.ts against the generated schema.d.ts and openapi-fetch's declarations; returns the diagnostics. */
function typeCheck(dir: string, openapiFetchDir: string): string[] {
  const program = ts.createProgram([join(dir, 'flow.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    paths: { 'openapi-fetch': [join(openapiFetchDir, 'dist/index.d.mts')] },
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('the document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has a route for every query and mutation, bearer auth on the protected ones, and the error shape', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Every procedure of the ACCESS table (packages/api/src/access.ts) but the one subscription.
    expect(operations).toHaveLength(50);
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/enlist',
        'POST /v1/nodes',
        'GET /v1/nodes/{systemId}',
        'POST /v1/nodes/{systemId}/release',
        'DELETE /v1/users/{username}',
        'POST /v1/machine/lookup',
        'POST /v1/nodes/{systemId}/heartbeat',
        'POST /v1/nodes/{systemId}/erase-report',
        'GET /v1/images',
      ]),
    );
    expect(document.paths['/v1/enlist']!.post!.security).toEqual([]);
    expect(document.paths['/v1/nodes/{systemId}']!.get!.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/v1/nodes/{systemId}']!.get!.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect((document.components as { responses: Record<string, unknown> }).responses.Unauthorized).toEqual({
      description: expect.any(String),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(JSON.stringify(document)).not.toContain(ADMIN_TOKEN);
  });

  it('is rendered at /docs by Scalar, served from here: the page, its scripts, and the document', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // The browser is told to load nothing from elsewhere: scripts, styles, fonts, calls.
    const policy = response.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "font-src 'self' data:"]) {
      expect(policy).toContain(directive);
    }
    const page = await response.text();
    expect(page).not.toMatch(/(src|href)="https?:/);
    const scripts = [...page.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts).toEqual([expect.stringMatching(/^\/docs\/scalar-api-reference-\d+\.\d+\.\d+\.js$/), '/docs/init.js']);

    // Scalar's standalone bundle, from the installed package, compressed and cached for good under its versioned name.
    const bundle = await fetch(`${server.url}${scripts[0]}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(bundle.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    const code = await bundle.text();
    expect(code).toContain('createApiReference');
    expect(code).not.toContain('sourceMappingURL=standalone');
    const etag = bundle.headers.get('etag')!;
    expect((await fetch(`${server.url}${scripts[0]}`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // What it renders: this document, with the bearer scheme to try calls, and no fonts, telemetry or AI agent from outside.
    const init = await (await fetch(`${server.url}/docs/init.js`)).text();
    expect(init).toContain("window.Scalar.createApiReference('#reference'");
    expect(init).toContain('"url": "/openapi.json"');
    expect(init).toContain('"preferredSecurityScheme": "bearer"');
    expect(init).toMatch(/"withDefaultFonts": false[\s\S]*"telemetry": false[\s\S]*"disabled": true/);
    const served = await fetch(`${server.url}/openapi.json`);
    expect(served.headers.get('content-type')).toBe('application/json');
    expect((document.components as { securitySchemes: unknown }).securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    // Markdown the viewer renders: no bare <token> that would be read as a tag.
    expect((document.info as { description: string }).description).toContain('**Authentication.**');
    expect((document.info as { description: string }).description).not.toMatch(/Bearer <token>\.$/m);
    expect((await fetch(`${server.url}/docs/elsewhere.js`)).status).toBe(404);
  });
});

describe('a client generated from the document', () => {
  it('runs the main flow: anonymous enlist → declared, user enlist → ready, accept, acquire, release', async () => {
    writeFileSync(join(generated, 'schema.d.ts'), astToString(await openapiTS(document as never)));
    const openapiFetchDir = dirname(createRequire(import.meta.url).resolve('openapi-fetch/package.json'));
    writeFileSync(join(generated, 'flow.ts'), FLOW);
    expect(typeCheck(generated, openapiFetchDir)).toEqual([]);

    const javascript = ts
      .transpileModule(FLOW, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
      .outputText.replace("'openapi-fetch'", `'${pathToFileURL(join(openapiFetchDir, 'dist/index.mjs')).href}'`);
    writeFileSync(join(generated, 'flow.mjs'), javascript);
    const { mainFlow } = (await import(pathToFileURL(join(generated, 'flow.mjs')).href)) as {
      mainFlow(baseUrl: string, token: string, macs: [string, string]): Promise<Record<string, unknown>>;
    };
    const result = await mainFlow(`${server.url}/api`, ADMIN_TOKEN, [nextMac(), nextMac()]);
    expect(result).toMatchObject({
      declared: 'declared',
      ready: 'ready',
      accepted: [expect.stringMatching(/^[a-z2-7]{6}$/)],
      acquired: ['allocated', 'admin'],
      shown: 'allocated',
      released: ['ready', null],
      refused: [401, 'UNAUTHORIZED'],
    });
    expect(result.listed).toContain((result.accepted as string[])[0]);
  });

  it('REST errors carry the status, the code and the server’s message', async () => {
    const response = await fetch(`${server.url}/api/v1/nodes/aaaaaa/release`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', message: "node 'aaaaaa' does not exist", data: { httpStatus: 404 } });
  });
});
