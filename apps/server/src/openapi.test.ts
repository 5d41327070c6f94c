import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_ERRORS, TRANSPORT_ERRORS } from '@metalyard/api';
import { createOpenApiDocument } from './openapi.js';

/**
 * The OpenAPI document against a standard linter (Redocly CLI, its recommended rules) and against
 * the one error map: every status an operation can answer is declared, with the error schema.
 */

type Operation = { security?: unknown[]; responses: Record<string, { $ref?: string }> };
type Document = ReturnType<typeof createOpenApiDocument> & {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content: unknown; headers?: Record<string, unknown> }> };
};

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { severity: string; ruleId: string; message: string; location: { pointer: string }[] }[];
}

const scratch = mkdtempSync(join(tmpdir(), 'metalyard-openapi-lint-'));
const document = createOpenApiDocument() as Document;
const operation = (method: string, path: string) => document.paths[path]![method]!;
const statuses = (method: string, path: string) => Object.keys(operation(method, path).responses);

/** redocly lint with its recommended rules, without telemetry, update checks or any network: local files only. */
async function lint(file: string): Promise<LintReport> {
  const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  const run = promisify(execFile);
  const args = [cli, 'lint', file, '--extends', 'recommended', '--format', 'json'];
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: scratch,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
    CI: 'true',
  };
  try {
    const { stdout } = await run(process.execPath, args, { cwd: scratch, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as LintReport;
  } catch (error) {
    // With errors redocly exits 1, and still prints its report.
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout?.trim().startsWith('{')) return JSON.parse(stdout) as LintReport;
    throw error;
  }
}

let report: LintReport;
beforeAll(async () => {
  const file = join(scratch, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  report = await lint(file);
}, 90_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('redocly lint (recommended rules) on the document', () => {
  it('finds no error', () => {
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('finds no warning but the licence, which names no URL or SPDX identifier while none is granted', () => {
    expect(report.problems.map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}`)).toEqual([
      'info-license-strict #/info/license',
    ]);
  });
});

describe('the statuses each operation declares', () => {
  it('public operations need no token and answer what the anonymous door answers', () => {
    for (const path of ['/v1/enlist', '/v1/auth/login']) {
      expect(operation('post', path).security, path).toEqual([]);
      expect(statuses('post', path), path).toEqual(expect.arrayContaining(['200', '400', '409', '413', '415', '429', '500']));
      expect(statuses('post', path), path).not.toContain('403');
    }
    expect(statuses('post', '/v1/enlist')).toContain('503');
    expect(statuses('post', '/v1/enlist')).not.toContain('401');
    expect(statuses('post', '/v1/auth/login')).toContain('401');
  });

  it('protected operations need the bearer token and may be refused, missing or in conflict', () => {
    for (const path of ['/v1/nodes/acquire', '/v1/nodes/{systemId}/release', '/v1/nodes/{systemId}/deploy', '/v1/nodes/accept']) {
      expect(operation('post', path).security, path).toEqual([{ bearer: [] }]);
      expect(statuses('post', path), path).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '500']);
    }
    // A query takes its input in the URL: no body to be too large or of the wrong type, nothing to conflict with.
    expect(statuses('get', '/v1/nodes')).toEqual(['200', '400', '401', '403', '404', '500']);
    expect(statuses('delete', '/v1/nodes/{systemId}')).toEqual(['200', '400', '401', '403', '404', '409', '500']);
  });

  it('power operations may fail upstream (502); machine reports pass the anonymous door (429)', () => {
    for (const action of ['on', 'off', 'cycle', 'query']) expect(statuses('post', `/v1/nodes/{systemId}/power/${action}`)).toContain('502');
    expect(statuses('post', '/v1/nodes/acquire')).not.toContain('502');
    expect(statuses('post', '/v1/nodes/{systemId}/commissioning-report')).toContain('429');
  });

  it('every status of the error map is declared by some operation', () => {
    const declared = new Set(
      Object.values(document.paths).flatMap((methods) => Object.values(methods).flatMap((op) => Object.keys(op.responses))),
    );
    const mapped = [...Object.values(DOMAIN_ERRORS), ...Object.values(TRANSPORT_ERRORS)].map((spec) => String(spec.status));
    expect(mapped.filter((status) => !declared.has(status))).toEqual([]);
  });

  it('every error answer is the one error schema, with Retry-After where the map says', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, { responses }] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(responses)) {
          if (status.startsWith('2')) continue;
          const shared = document.components.responses[response.$ref!.split('/').pop()!];
          expect(shared?.content, `${method} ${path} ${status}`).toEqual({
            'application/json': { schema: { $ref: '#/components/schemas/Error' } },
          });
        }
      }
    }
    expect(Object.keys(document.components.responses.TooManyRequests!.headers!)).toEqual(['Retry-After']);
    expect(Object.keys(document.components.responses.ServiceUnavailable!.headers!)).toEqual(['Retry-After']);
  });
});
