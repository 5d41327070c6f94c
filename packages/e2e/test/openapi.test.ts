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
let document: { openapi: string; paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>> } & Record<string, unknown>;

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
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    // Every procedure of the ACCESS table (packages/api/src/access.ts) but the one subscription.
    expect(operations).toHaveLength(42);
    expect(operations).toEqual(expect.arrayContaining(['POST /v1/enlist', 'POST /v1/nodes', 'GET /v1/nodes/{systemId}', 'POST /v1/nodes/{systemId}/release', 'DELETE /v1/users/{username}']));
    expect(document.paths['/v1/enlist']!.post!.security).toBeUndefined();
    expect(document.paths['/v1/nodes/{systemId}']!.get!.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/v1/nodes/{systemId}']!.get!.responses['401']).toEqual({
      description: expect.any(String),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(JSON.stringify(document)).not.toContain(ADMIN_TOKEN);
  });

  it('is rendered at /docs by a page that loads nothing from elsewhere', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain("fetch('/openapi.json')");
    expect(page).not.toMatch(/(src|href)="https?:/);
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
