/**
 * The ACCESS table against the router: every procedure is named in it, and every caller who may
 * not call a procedure is refused — walked generically over `appRouter._def.procedures`, so a new
 * procedure is covered the moment it is added.
 *
 * The refusals are made with an input no procedure accepts: auth runs in the base procedure's
 * middleware, before tRPC parses the input (the `.input()` parser is a middleware appended after
 * it), so a refusal proves the check ran first. The last block shows that the same input does
 * reach validation once the caller is allowed.
 */
import type { AnyTRPCProcedure } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PowerType } from '@metalyard/domain';
import { POWER_DRIVERS } from '@metalyard/power';
import { startWebhookServer, type WebhookServer } from '@metalyard/power/testing';
import { TOKEN_PREFIX } from '@metalyard/usecases';
import { ACCESS, accessOf, appRouter, type Access, type ProcedurePath } from '../../src/index.js';
import { callerWith, expectTRPCError, issueToken, machine, openYard, seed, type Caller, type Yard } from '../harness.js';

const PROCEDURES = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
const PATHS = Object.keys(PROCEDURES).sort();
const pathsWith = (...access: Access[]) => PATHS.filter((path) => access.includes(accessOf(path)!));

/** An input every procedure refuses: each input schema is a strict object. */
const NOT_AN_INPUT = { notAField: true };

/** Calls the procedure at a dotted path; a subscription resolves to its stream once the middlewares let it through. */
function invoke(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

const UNKNOWN_TOKEN = `${TOKEN_PREFIX}${'A'.repeat(43)}`;
/** An admin's tokens that no longer open a session (an admin's, so that the role is not why they are refused). */
let stale: { revoked: string; expired: string };

/** Callers that are not signed in: the Authorization header each sends, and the message its refusal carries. */
const STRANGERS: [label: string, authorization: () => string | null, message: string][] = [
  ['anonymous', () => null, 'authentication required: send Authorization: Bearer <token>'],
  ['a malformed header', () => 'Bearer abc', 'malformed Authorization header: expected "Bearer <token>"'],
  ['an unknown token', () => `Bearer ${UNKNOWN_TOKEN}`, 'invalid, expired or revoked token'],
  ['a revoked token', () => `Bearer ${stale.revoked}`, 'invalid, expired or revoked token'],
  ['an expired token', () => `Bearer ${stale.expired}`, 'invalid, expired or revoked token'],
];

let db: Yard;
let as: Awaited<ReturnType<typeof seed>>;
/** Nodes waiting for their machine's report, with the per-node token that report needs. */
let reporting: Record<'commissioning' | 'deploying' | 'releasing', { systemId: string; token: string }>;
/** A BMC for the node the agent erases (only a machine Metalyard powers is erased by its agent). */
let bmc: WebhookServer;

beforeAll(async () => {
  bmc = await startWebhookServer();
  db = await openYard({ power: { driverFor: (type: PowerType) => (type === 'webhook' ? POWER_DRIVERS.webhook : null) } });
  as = await seed(db);
  const revoked = await issueToken(db, as.admin.user, 'revoked');
  expect(await db.app.tokens.revoke(as.admin.user, revoked.id)).toBe(true);
  const expired = await issueToken(db, as.admin.user, 'expired', new Date(Date.now() - 1000));
  stale = { revoked: revoked.token, expired: expired.token };

  const commissioning = await as.admin.caller.protected.enlist(machine(1));
  const commissioned = await as.admin.caller.protected.nodes.commission({ systemId: commissioning.systemId });
  await as.admin.caller.protected.enlist(machine(2));
  const acquired = await as.alice.caller.protected.nodes.acquire();
  const deployed = await as.alice.caller.protected.nodes.deploy({ systemId: acquired.systemId });
  const erased = await as.admin.caller.protected.enlist(machine(3, { powerType: 'webhook', powerParameters: bmc.parameters }));
  await as.admin.caller.protected.nodes.acquire({ systemId: erased.systemId });
  await as.admin.caller.protected.nodes.release({ systemId: erased.systemId });
  const erasing = await callerWith(db, null).machine.lookup({ macAddresses: erased.macAddresses });
  reporting = {
    commissioning: { systemId: commissioned.systemId, token: commissioned.machineToken! },
    deploying: { systemId: deployed.systemId, token: deployed.machineToken! },
    releasing: { systemId: erased.systemId, token: erasing.token! },
  };
});
afterAll(async () => {
  await db.close();
  await bmc.stop();
});

describe('the ACCESS table', () => {
  it('names every procedure of the router, and nothing else', () => {
    expect(PATHS).toContain('protected.nodes.get'); // a flat record of dotted paths
    expect(PATHS.filter((path) => accessOf(path) === undefined)).toEqual([]);
    expect(Object.keys(ACCESS).filter((path) => !(path in PROCEDURES))).toEqual([]);
  });

  it('keeps everything under `protected` for users and admins, and nothing else there', () => {
    for (const path of PATHS) {
      const forUsers = ['user', 'admin'].includes(accessOf(path)!);
      expect(path.startsWith('protected.'), `${path} is ${accessOf(path)}`).toBe(forUsers);
    }
  });

  it('serves the live events as a subscription', () => {
    expect(PROCEDURES['protected.events.onChange']?._def.type).toBe('subscription');
  });
});

describe.each(pathsWith('user', 'admin'))('%s', (path) => {
  it.each(STRANGERS)('refuses %s with UNAUTHORIZED', async (_label, authorization, message) => {
    await expectTRPCError(invoke(callerWith(db, authorization()), path, NOT_AN_INPUT), 'UNAUTHORIZED', message);
  });
});

describe.each(pathsWith('admin'))('%s (admin only)', (path) => {
  it('refuses a plain user with FORBIDDEN', async () => {
    await expectTRPCError(invoke(as.alice.caller, path, NOT_AN_INPUT), 'FORBIDDEN', "user 'alice' is not an admin");
  });
});

describe('machine procedures', () => {
  /** A valid report for each machine procedure, about the node that waits for it. */
  const REPORTS: Record<string, () => { node: { systemId: string; token: string }; input: unknown }> = {
    'machine.reportCommissioning': () => ({
      node: reporting.commissioning,
      input: { systemId: reporting.commissioning.systemId, result: 'failed', reason: 'disk test failed' },
    }),
    'machine.reportDeployment': () => ({
      node: reporting.deploying,
      input: { systemId: reporting.deploying.systemId, result: 'failed', reason: 'no bootloader' },
    }),
    'machine.heartbeat': () => ({
      node: reporting.commissioning,
      input: { systemId: reporting.commissioning.systemId, step: 'commission', message: 'testing memory' },
    }),
    'machine.reportErase': () => ({
      node: reporting.releasing,
      input: { systemId: reporting.releasing.systemId, result: 'passed' },
    }),
  } satisfies Partial<Record<ProcedurePath, unknown>>;

  it('each have a report to test with', () => {
    expect(Object.keys(REPORTS).sort()).toEqual(pathsWith('machine'));
  });

  describe.each(pathsWith('machine'))('%s', (path) => {
    it.each(STRANGERS.slice(0, 2))('refuses %s with UNAUTHORIZED', async (_label, authorization, message) => {
      const { input } = REPORTS[path]!();
      await expectTRPCError(invoke(callerWith(db, authorization()), path, input), 'UNAUTHORIZED', message);
    });

    it('refuses a user’s and an admin’s token with UNAUTHORIZED, and the node does not move', async () => {
      const { node, input } = REPORTS[path]!();
      const before = await as.admin.caller.protected.nodes.get({ systemId: node.systemId });
      for (const caller of [as.alice.caller, as.admin.caller]) {
        await expectTRPCError(invoke(caller, path, input), 'UNAUTHORIZED', `invalid or expired machine token for node ${node.systemId}`);
      }
      expect(await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).toEqual(before);
    });
  });

  it('lets the node’s own token through, so the refusals above were about the token', async () => {
    for (const path of pathsWith('machine')) {
      const { node, input } = REPORTS[path]!();
      const result = await invoke(callerWith(db, `Bearer ${node.token}`), path, input);
      expect(result, path).toMatchObject({ systemId: node.systemId });
    }
  });
});

describe('once the caller is allowed', () => {
  it.each(pathsWith('user', 'admin'))('%s validates the input next: BAD_REQUEST for an admin', async (path) => {
    await expectTRPCError(invoke(as.admin.caller, path, NOT_AN_INPUT), 'BAD_REQUEST');
  });

  it.each(pathsWith('public'))('%s is open: an anonymous caller reaches input validation', async (path) => {
    await expectTRPCError(invoke(callerWith(db, null), path, NOT_AN_INPUT), 'BAD_REQUEST');
  });

  it('opens the event subscription to a plain user', async () => {
    const stream = (await invoke(as.alice.caller, 'protected.events.onChange', {})) as AsyncGenerator<unknown>;
    expect(typeof stream[Symbol.asyncIterator]).toBe('function');
    await stream.return(undefined);
  });
});
