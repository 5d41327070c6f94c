import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { ConflictError, InvalidTransitionError, NotFoundError, UnauthenticatedError } from '@metalyard/domain';
import { TRPC_CODE_BY_KIND, appRouter, toTRPCError } from '../src/index.js';
import { eachTestWithSeededYard, errorShape, expectTRPCError, mac, machine, trpcError, type Cast } from './harness.js';

let as: Cast;

eachTestWithSeededYard((_db, cast) => {
  as = cast;
});

/** The router's errorFormatter, called as tRPC calls it. */
function format(error: TRPCError, shape: { message: string; code: number; data: Record<string, unknown> }) {
  return appRouter._def._config.errorFormatter({
    error,
    shape,
    type: 'mutation',
    path: 'enlist',
    input: undefined,
    ctx: undefined,
  } as never);
}

describe('bad input', () => {
  it('is BAD_REQUEST caused by the ZodError, with fieldErrors naming each field', async () => {
    const input = { hostname: 'bad_host', architecture: 'vax', macAddresses: [mac(1), 'nope'], status: 'ready' };
    const error = await expectTRPCError(as.anonymous.enlist(input as never), 'BAD_REQUEST');
    expect(error.cause).toBeInstanceOf(ZodError);

    const shape = errorShape(error, 'enlist', input);
    expect(shape.data).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      path: 'enlist',
      fieldErrors: {
        '': ['unknown field(s): status'],
        hostname: ["is not a valid hostname: label 'bad_host' may hold only letters, digits and inner hyphens"],
        architecture: [expect.stringMatching(/^must be one of amd64\/generic, arm64\/generic, /)],
        'macAddresses.1': [expect.stringMatching(/^'nope' is not a MAC address/)],
      },
    });
    expect(shape.message).toMatch(/^invalid input: /);
    for (const field of ['hostname: ', 'architecture: ', 'macAddresses.1: ', 'unknown field(s): status']) {
      expect(shape.message).toContain(field);
    }
    expect(shape.data).not.toHaveProperty('stack');
    expect(JSON.stringify(shape)).not.toMatch(/stack|\.ts:\d|node_modules/);
  });

  it('names a nested power parameter key', async () => {
    const error = await trpcError(as.anonymous.enlist({ ...machine(1), powerParameters: { Password: 'x', address: 7 } } as never));
    expect(errorShape(error, 'enlist').data.fieldErrors).toEqual({
      'powerParameters.Password': [
        'keys are identifiers starting with a lowercase letter, such as address, username, password, cipherSuite',
      ],
      'powerParameters.address': ['values must be strings'],
    });
  });

  it('caps the message at five fields', async () => {
    const macs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const error = await trpcError(as.anonymous.enlist({ architecture: 'amd64/generic', macAddresses: macs }));
    const shape = errorShape(error, 'enlist');
    expect(Object.keys(shape.data.fieldErrors!)).toHaveLength(7);
    expect(shape.message).toMatch(/\(and 2 more\)$/);
  });
});

describe('domain errors', () => {
  it('an invalid transition gives CONFLICT with the status and the allowed actions', async () => {
    const node = await as.anonymous.enlist(machine(1));
    const error = await expectTRPCError(as.admin.caller.protected.nodes.release({ systemId: node.systemId }), 'CONFLICT');
    const shape = errorShape(error, 'protected.nodes.release');
    expect(shape.message).toBe(`cannot release node ${node.systemId}: it is declared (allowed from 'declared': accept, retire, delete)`);
    expect(shape.data).toEqual({
      code: 'CONFLICT',
      httpStatus: 409,
      path: 'protected.nodes.release',
      details: { action: 'release', status: 'declared', allowed: ['accept', 'retire', 'delete'], systemId: node.systemId },
    });
  });

  it('NOT_FOUND is 404 with the id', async () => {
    const error = await expectTRPCError(as.alice.caller.protected.nodes.get({ systemId: 'abc234' }), 'NOT_FOUND');
    expect(errorShape(error, 'protected.nodes.get').data).toMatchObject({ httpStatus: 404, details: { id: 'abc234' } });
  });

  it('UNAUTHORIZED is 401 and FORBIDDEN 403', async () => {
    const unauthorized = await expectTRPCError(as.anonymous.protected.nodes.list(), 'UNAUTHORIZED');
    expect(errorShape(unauthorized, 'protected.nodes.list').data.httpStatus).toBe(401);
    const forbidden = await expectTRPCError(as.alice.caller.protected.nodes.accept({ systemIds: ['abc234'] }), 'FORBIDDEN');
    expect(errorShape(forbidden, 'protected.nodes.accept').data.httpStatus).toBe(403);
  });

  it('map kind by kind through TRPC_CODE_BY_KIND', () => {
    expect(TRPC_CODE_BY_KIND).toEqual({
      invalid_input: 'BAD_REQUEST',
      not_found: 'NOT_FOUND',
      conflict: 'CONFLICT',
      unauthenticated: 'UNAUTHORIZED',
      forbidden: 'FORBIDDEN',
      rate_limited: 'TOO_MANY_REQUESTS',
      unavailable: 'SERVICE_UNAVAILABLE',
      upstream: 'BAD_GATEWAY',
    });
    for (const [cause, code] of [
      [new NotFoundError('node', 'abc234'), 'NOT_FOUND'],
      [new ConflictError('taken'), 'CONFLICT'],
      [new InvalidTransitionError('accept', 'allocated', ['release']), 'CONFLICT'],
      [new UnauthenticatedError(), 'UNAUTHORIZED'],
    ] as const) {
      const error = toTRPCError(cause);
      expect({ code: error.code, message: error.message, cause: error.cause }).toEqual({ code, message: cause.message, cause });
    }
  });
});

describe('the errorFormatter', () => {
  it('drops a stack even when tRPC puts one in', () => {
    const error = new TRPCError({ code: 'CONFLICT', message: 'taken', cause: new ConflictError('taken') });
    const shape = format(error, {
      message: 'taken',
      code: -32009,
      data: { code: 'CONFLICT', httpStatus: 409, stack: 'Error: at secret.ts:1' },
    });
    expect(shape.data).not.toHaveProperty('stack');
    expect(shape).toEqual({ message: 'taken', code: -32009, data: { code: 'CONFLICT', httpStatus: 409 } });
  });

  it('hides the message of an unexpected error', () => {
    const error = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new Error('SQLITE_CANTOPEN /srv/secret/path') });
    const shape = format(error, {
      message: error.message,
      code: -32603,
      data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, stack: 'x' },
    });
    expect(shape.message).toBe('internal server error');
    expect(JSON.stringify(shape)).not.toContain('secret');
  });

  it('explains malformed JSON', () => {
    const cause = new SyntaxError('Unexpected token } in JSON at position 9');
    const error = new TRPCError({ code: 'PARSE_ERROR', cause });
    const shape = format(error, { message: cause.message, code: -32700, data: { code: 'PARSE_ERROR', httpStatus: 400 } });
    expect(shape.message).toBe('malformed JSON: Unexpected token } in JSON at position 9');
  });
});

describe('the request id', () => {
  it('is in every error body the formatter shapes, so a report can be found in the log', () => {
    const error = toTRPCError(new NotFoundError('node', 'x'));
    const shape = { message: error.message, code: -32004, data: { code: 'NOT_FOUND', httpStatus: 404 } };
    const body = appRouter._def._config.errorFormatter({
      error,
      shape,
      type: 'query',
      path: 'protected.nodes.get',
      input: undefined,
      ctx: { requestId: 'req-42' },
    } as never) as { data: { requestId?: string } };
    expect(body.data.requestId).toBe('req-42');
    expect((format(error, shape) as { data: { requestId?: string } }).data.requestId).toBeUndefined();
  });
});
