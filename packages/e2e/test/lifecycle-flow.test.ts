import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetalyardClient } from '@metalyard/sdk';
import { ADMIN_TOKEN, client, failure, manage, nextMac, scratchDir, startServer, type ServerProcess } from './harness.js';

/** The whole lifecycle with commissioning on, through the SDK against the real server. */
const scratch = scratchDir();
const databaseUrl = `${scratch.path}/metalyard.sqlite`;
let server: ServerProcess;
let anonymous: MetalyardClient;
let admin: MetalyardClient;
let alice: MetalyardClient;
let aliceToken: string;
let bob: MetalyardClient;

const HARDWARE = { cpuCount: 48, memoryMb: 196_608, storage: [{ name: 'nvme0n1', sizeGb: 3840 }], nics: [] };

beforeAll(async () => {
  aliceToken = await manage(databaseUrl, 'createuser', '--username', 'alice');
  const bobToken = await manage(databaseUrl, 'createuser', '--username', 'bob');
  server = await startServer(databaseUrl, { METALYARD_COMMISSIONING: 'on' });
  anonymous = client(server.url);
  admin = client(server.url, ADMIN_TOKEN);
  alice = client(server.url, aliceToken);
  bob = client(server.url, bobToken);
  await admin.protected.zones.create.mutate({ name: 'rack-1', description: 'row A' });
  await admin.protected.zones.create.mutate({ name: 'rack-2' });
  await admin.protected.tags.create.mutate({ name: 'nvme' });
});

afterAll(async () => {
  expect(await server.stop()).toBe(0);
  scratch.remove();
});

describe('the lifecycle through the SDK', () => {
  it('enlist → accept → commissioning report → ready → acquire with constraints → deploy → deployment report → release', async () => {
    const declared = await anonymous.enlist.mutate({ hostname: 'flow-1', architecture: 'arm64/generic', macAddresses: [nextMac()] });
    expect(declared.status).toBe('declared');
    const { systemId } = declared;

    const accepted = await admin.protected.nodes.accept.mutate({ systemIds: [systemId] });
    expect(accepted.accepted).toEqual([systemId]);
    const commissioningToken = accepted.machineTokens?.[systemId];
    expect(commissioningToken).toMatch(/^mlm_/);
    expect((await alice.protected.nodes.get.query({ systemId })).status).toBe('commissioning');

    // The machine reports with its own token, through a client made with that token.
    const machine = client(server.url, commissioningToken);
    expect(
      await machine.machine.reportCommissioning.mutate({
        systemId,
        result: 'passed',
        hardware: HARDWARE,
        tests: [{ name: 'smartctl-validate', passed: true }],
      }),
    ).toEqual({ systemId, status: 'ready' });
    expect(await alice.protected.nodes.get.query({ systemId })).toMatchObject({ status: 'ready', hardware: HARDWARE });

    await admin.protected.nodes.update.mutate({ systemId, zone: 'rack-1', tags: ['nvme'] });
    const acquired = await alice.protected.nodes.acquire.mutate({
      architecture: ['arm64/generic', 'ppc64el/generic'],
      minCpu: 32,
      minMemoryMb: 131_072,
      tags: ['nvme'],
      zone: 'rack-1',
      notInZone: 'rack-2',
    });
    expect(acquired).toMatchObject({ systemId, status: 'allocated', owner: 'alice' });

    await alice.protected.nodes.annotate.mutate({ systemId, annotations: { job: 'e2e' } });
    const deploying = await alice.protected.nodes.deploy.mutate({ systemId });
    expect(deploying.status).toBe('deploying');
    expect(deploying.machineToken).toMatch(/^mlm_/);

    const installer = client(server.url, deploying.machineToken);
    expect(await installer.machine.reportDeployment.mutate({ systemId, result: 'passed' })).toEqual({ systemId, status: 'deployed' });
    expect((await bob.protected.nodes.get.query({ systemId })).status).toBe('deployed');

    const released = await alice.protected.nodes.release.mutate({ systemId });
    expect(released).toMatchObject({ status: 'ready', owner: null, annotations: {} });

    const { items } = await bob.protected.events.list.query({ systemId });
    expect(
      items.filter((event) => event.toStatus !== null).map((event) => `${event.type}: ${event.fromStatus ?? '∅'} → ${event.toStatus}`),
    ).toEqual([
      'enlist: ∅ → declared',
      'accept: declared → commissioning',
      'passCommissioning: commissioning → ready',
      'acquire: ready → allocated',
      'deploy: allocated → deploying',
      'passDeployment: deploying → deployed',
      'release: deployed → releasing',
      'finishRelease: releasing → ready',
    ]);
    expect(items.find((event) => event.type === 'passCommissioning')?.actor).toBe(`machine:${systemId}`);
  });

  it('a user-enlisted machine commissions too; failing, re-commissioning and aborting', async () => {
    const node = await alice.protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
    expect(node.status).toBe('commissioning');
    const { systemId } = node;

    await client(server.url, node.machineToken).machine.reportCommissioning.mutate({ systemId, result: 'failed', reason: 'bad DIMM' });
    expect(await alice.protected.nodes.get.query({ systemId })).toMatchObject({
      status: 'failed_commissioning',
      statusMessage: 'bad DIMM',
    });

    const again = await admin.protected.nodes.commission.mutate({ systemId });
    expect(again.status).toBe('commissioning');
    expect(again.machineToken).not.toBe(node.machineToken);
    expect((await admin.protected.nodes.abort.mutate({ systemId, comment: 'rack power work' })).status).toBe('failed_commissioning');
    expect((await admin.protected.nodes.retire.mutate({ systemId })).status).toBe('retired');
    expect(await admin.protected.nodes.delete.mutate({ systemId })).toEqual({ deleted: systemId });
    expect((await failure(alice.protected.nodes.get.query({ systemId }))).status).toBe(404);
  });

  it('acceptAll commissions every declared machine and hands out their tokens', async () => {
    const declared = await Promise.all(
      [1, 2].map(() => anonymous.enlist.mutate({ architecture: 'riscv64/generic', macAddresses: [nextMac()] })),
    );
    const result = await admin.protected.nodes.acceptAll.mutate();
    for (const node of declared) {
      expect(result.accepted).toContain(node.systemId);
      expect(result.machineTokens?.[node.systemId]).toMatch(/^mlm_/);
    }
  });

  it('broken and fixed', async () => {
    const node = await admin.protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
    await client(server.url, node.machineToken).machine.reportCommissioning.mutate({
      systemId: node.systemId,
      result: 'passed',
      hardware: HARDWARE,
    });
    const broken = await admin.protected.nodes.markBroken.mutate({ systemId: node.systemId, comment: 'smoke from PSU' });
    expect(broken).toMatchObject({ status: 'broken', statusMessage: 'smoke from PSU' });
    expect((await admin.protected.nodes.markFixed.mutate({ systemId: node.systemId })).status).toBe('ready');
  });
});

describe('refusals carry their HTTP status', () => {
  let systemId: string;
  let deployToken: string | undefined;

  beforeAll(async () => {
    const node = await admin.protected.enlist.mutate({ architecture: 's390x/generic', macAddresses: [nextMac()] });
    systemId = node.systemId;
    await client(server.url, node.machineToken).machine.reportCommissioning.mutate({ systemId, result: 'passed', hardware: HARDWARE });
  });

  it('409 for a transition the state forbids, naming the state and what is allowed', async () => {
    const refused = await failure(alice.protected.nodes.deploy.mutate({ systemId }));
    expect(refused).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(refused.message).toBe(
      `cannot deploy node ${systemId}: it is ready (allowed from 'ready': commission, acquire, markBroken, retire, delete)`,
    );
    expect(refused.data?.details).toMatchObject({ status: 'ready', allowed: ['commission', 'acquire', 'markBroken', 'retire', 'delete'] });
  });

  it('409 explaining which constraint eliminated the candidates', async () => {
    const refused = await failure(alice.protected.nodes.acquire.mutate({ architecture: 's390x/generic', zone: 'rack-2' }));
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/ready node\(s\), 1 of them with architecture s390x\/generic, none in zone rack-2$/);
  });

  it('403 when the caller may not; 401 without a valid token; 404 for an unknown node', async () => {
    const owned = await alice.protected.nodes.acquire.mutate({ systemId });
    expect(owned.owner).toBe('alice');
    expect((await failure(bob.protected.nodes.deploy.mutate({ systemId }))).status).toBe(403);
    expect((await failure(bob.protected.nodes.release.mutate({ systemId }))).status).toBe(403);
    expect((await failure(alice.protected.nodes.retire.mutate({ systemId }))).status).toBe(403);
    expect((await failure(alice.protected.nodes.acceptAll.mutate())).status).toBe(403);
    expect((await failure(alice.protected.tags.create.mutate({ name: 'mine' }))).status).toBe(403);
    expect((await failure(anonymous.protected.nodes.deploy.mutate({ systemId }))).status).toBe(401);
    expect((await failure(alice.protected.nodes.get.query({ systemId: 'zzzzzz' }))).status).toBe(404);
    expect((await failure(admin.protected.nodes.delete.mutate({ systemId }))).status).toBe(409);

    deployToken = (await alice.protected.nodes.deploy.mutate({ systemId })).machineToken;
    expect(deployToken).toMatch(/^mlm_/);
  });

  it('401 for a wrong machine token or a user token on a machine procedure, recorded on the node', async () => {
    expect(
      (await failure(client(server.url, `mlm_${'x'.repeat(43)}`).machine.reportDeployment.mutate({ systemId, result: 'passed' }))).status,
    ).toBe(401);
    expect((await failure(client(server.url, aliceToken).machine.reportDeployment.mutate({ systemId, result: 'passed' }))).status).toBe(
      401,
    );
    expect((await failure(client(server.url, deployToken).protected.nodes.list.query())).status).toBe(401);
    const { items } = await admin.protected.events.list.query({ systemId, type: 'auth_failed' });
    expect(items).toHaveLength(2);
    expect((await alice.protected.nodes.get.query({ systemId })).status).toBe('deploying');
  });

  it('400 for bad input, naming the field', async () => {
    const refused = await failure(alice.protected.nodes.markBroken.mutate({ systemId, comment: '' }));
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('comment: say why the node is broken');
    const report = await failure(
      client(server.url, deployToken).machine.reportDeployment.mutate({ systemId, result: 'maybe' as 'passed' }),
    );
    expect(report.status).toBe(400);
    expect(report.message).toContain("result: must be 'passed' or 'failed'");
  });

  it('a failed deployment is released by its owner', async () => {
    await client(server.url, deployToken).machine.reportDeployment.mutate({ systemId, result: 'failed', reason: 'no boot disk' });
    expect(await alice.protected.nodes.get.query({ systemId })).toMatchObject({
      status: 'failed_deployment',
      statusMessage: 'no boot disk',
    });
    expect(await alice.protected.nodes.release.mutate({ systemId })).toMatchObject({ status: 'ready', owner: null });
  });
});
