import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetalyardClient } from '@metalyard/sdk';
import { adminCliSession, nextMac, tableRows } from './harness.js';

interface NodeJson {
  systemId: string;
  hostname: string;
  status: string;
  owner: string | null;
  zone: string | null;
  pool: string | null;
  tags: string[];
  annotations: Record<string, string>;
  machineToken?: string;
}

const session = adminCliSession();
const { cli, asAlice, json } = session;
const mac = () => nextMac(0x0b);
const enlistReady = (hostname: string) =>
  json<NodeJson>(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac(), '--hostname', hostname]);

describe('accept --all', () => {
  it('accepts every declared node; without ids or --all it is a usage error', async () => {
    const first = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'amd64/generic', '--mac', mac()]);
    const second = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'amd64/generic', '--mac', mac()]);
    const result = await json<{ accepted: string[] }>(['nodes', 'accept', '--all']);
    expect(result.accepted.sort()).toEqual([first.systemId, second.systemId].sort());
    expect((await cli(['nodes', 'accept', '--all'])).stdout).toBe('Nothing to accept.\n');
    const neither = await cli(['nodes', 'accept']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('name the nodes to accept, or give --all');
  });
});

describe('node actions', () => {
  it('deploy prints the node and its machine token once; abort brings it back to allocated', async () => {
    const node = await enlistReady('deploy-1');
    await json(['nodes', 'acquire', '--system-id', node.systemId], asAlice());
    const deployed = await cli(['nodes', 'deploy', node.systemId], asAlice());
    expect(deployed.code).toBe(0);
    expect(tableRows(deployed.stdout)[1]?.slice(0, 3)).toEqual([node.systemId, 'deploy-1', 'deploying']);
    expect(deployed.stdout).toMatch(/^Machine token \(shown once; hand it to the machine\): \S{20,}$/m);
    const aborted = await json<NodeJson>(['nodes', 'abort', node.systemId, '--comment', 'wrong image'], asAlice());
    expect(aborted).toMatchObject({ status: 'allocated', owner: 'alice' });
    const again = await json<NodeJson>(['nodes', 'deploy', node.systemId], asAlice());
    expect(again).toMatchObject({ status: 'deploying', machineToken: expect.any(String) });
  });

  it('a transition the state forbids is a conflict (exit 5) with the server’s message', async () => {
    const node = await enlistReady('conflict-1');
    const result = await cli(['nodes', 'deploy', node.systemId]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(new RegExp(`^metalyard: .*${node.systemId}.*ready.*\\n$`));
    const asJson = await cli(['nodes', 'deploy', node.systemId, '--json']);
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { exitCode: 5, httpStatus: 409 } });
  });

  it('commission, mark-broken (a comment is required), mark-fixed, retire and delete', async () => {
    const node = await enlistReady('cycle-1');
    expect(await json<NodeJson>(['nodes', 'commission', node.systemId])).toMatchObject({
      status: 'commissioning',
      machineToken: expect.any(String),
    });
    expect(await json<NodeJson>(['nodes', 'abort', node.systemId])).toMatchObject({ status: 'failed_commissioning' });
    const noComment = await cli(['nodes', 'mark-broken', node.systemId]);
    expect(noComment.code).toBe(2);
    expect(noComment.stderr).toContain("required option '--comment <text>' not specified");
    const broken = await json<NodeJson & { statusMessage: string }>(['nodes', 'mark-broken', node.systemId, '--comment', 'fan died']);
    expect(broken).toMatchObject({ status: 'broken', statusMessage: expect.stringContaining('fan died') });
    const fixed = await cli(['nodes', 'mark-fixed', node.systemId]);
    expect(tableRows(fixed.stdout)[1]?.[2]).toBe('ready');
    const retired = await cli(['nodes', 'retire', node.systemId, '--comment', 'end of life']);
    expect(retired.code).toBe(0);
    expect(tableRows(retired.stdout)[1]?.[2]).toBe('retired');
    expect((await cli(['nodes', 'delete', node.systemId])).stdout).toBe(`Deleted ${node.systemId}.\n`);
    expect((await cli(['nodes', 'show', node.systemId])).code).toBe(4);
  });

  it('a user may not retire (403): exit 3 with the server’s message', async () => {
    const node = await enlistReady('retire-denied');
    const result = await cli(['nodes', 'retire', node.systemId], asAlice());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^metalyard: .*not an admin.*\n$/);
  });
});

describe('update and annotate', () => {
  it('changes hostname, zone, pool, tags and power; annotates as the owner', async () => {
    await json(['zones', 'create', 'dc1']);
    await json(['pools', 'create', 'gpu']);
    await json(['tags', 'create', 'ssd']);
    await json(['tags', 'create', 'fast']);
    const node = await enlistReady('update-1');
    const updated = await json<NodeJson>([
      'update',
      node.systemId,
      '--hostname',
      'update-2',
      '--zone',
      'dc1',
      '--pool',
      'gpu',
      '--tag',
      'ssd',
      '--tag',
      'fast',
      '--power-type',
      'ipmi',
      '--power-param',
      'address=127.0.0.9',
    ]);
    expect(updated).toMatchObject({ hostname: 'update-2', zone: 'dc1', pool: 'gpu', tags: ['fast', 'ssd'], powerType: 'ipmi' });
    const table = await cli(['nodes', 'update', node.systemId, '--zone', '', '--no-tags']);
    expect(table.stdout).toMatch(/^zone\s+-$/m);
    expect(table.stdout).toMatch(/^tags\s+-$/m);
    expect((await cli(['nodes', 'update', node.systemId])).code).toBe(2);

    await json(['nodes', 'acquire', '--system-id', node.systemId], asAlice());
    const annotated = await cli(['nodes', 'annotate', node.systemId, 'owner.team=storage', 'ticket=OPS-1'], asAlice());
    expect(annotated.stdout).toMatch(/^annotation\.owner\.team\s+storage$/m);
    const removed = await json<NodeJson>(['nodes', 'annotate', node.systemId, 'ticket='], asAlice());
    expect(removed.annotations).toEqual({ 'owner.team': 'storage' });
  });
});

describe('tags, zones and pools', () => {
  it('lists, creates, renames and deletes, in tables and JSON; changes take an admin', async () => {
    expect((await cli(['zones', 'create', 'lab', '--description', 'the lab'])).stdout).toBe("Created zone 'lab'.\n");
    const rows = tableRows((await cli(['zones', 'list'])).stdout);
    expect(rows[0]).toEqual(['NAME', 'NODES', 'DESCRIPTION']);
    expect(rows).toContainEqual(['lab', '0', 'the lab']);
    expect(await json(['zones', 'update', 'lab', '--name', 'lab2'])).toMatchObject({ name: 'lab2', description: 'the lab' });
    expect(await json(['zones', 'delete', 'lab2'])).toEqual({ deleted: 'lab2' });
    expect((await cli(['zones', 'delete', 'lab2'])).code).toBe(4);
    expect((await cli(['pools', 'create', 'nope'], asAlice())).code).toBe(3);
    expect(await json<Array<{ name: string }>>(['pools', 'list'], asAlice())).toContainEqual(expect.objectContaining({ name: 'gpu' }));
  });
});

describe('events', () => {
  it('lists events with filters, in a table and JSON', async () => {
    const node = await enlistReady('events-1');
    const events = await json<Array<{ systemId: string; type: string; actor: string }>>(['events', '--system-id', node.systemId]);
    expect(events).toEqual([expect.objectContaining({ systemId: node.systemId, type: 'enlist', actor: 'admin' })]);
    const table = tableRows((await cli(['events', 'list', '--system-id', node.systemId, '--type', 'enlist'])).stdout);
    expect(table[0]).toEqual(['ID', 'TIME', 'NODE', 'TYPE', 'CHANGE', 'ACTOR', 'DETAILS']);
    expect(table[1]?.slice(2, 6)).toEqual([node.systemId, 'enlist', '- → ready', 'admin']);
    expect(await json(['events', '--actor', 'nobody'])).toEqual([]);
    expect((await cli(['events', '--since', 'yesterday-ish'])).code).toBe(2);
  });

  it('--follow prints an event another client causes, until interrupted', async () => {
    const follower = session.start(['events', '--follow', '--json']);
    await follower.waitFor('Following events');
    const other = createMetalyardClient({ url: session.server.url, token: session.userToken });
    const node = await other.protected.enlist.mutate({ architecture: 'riscv64/generic', macAddresses: [mac()], hostname: 'followed-1' });
    await follower.waitFor(node.systemId, 'stdout');
    expect(await follower.interrupt()).toBe(0);
    const lines = follower
      .output()
      .stdout.trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { systemId: string; type: string; actor: string });
    expect(lines.find((event) => event.systemId === node.systemId)).toMatchObject({ type: 'enlist', actor: 'alice' });
  });
});

describe('tokens, users, whoami, login --username, createadmin', () => {
  it('creates a token shown once, lists and revokes it', async () => {
    const created = await cli(['tokens', 'create', 'ci', '--expires-in-days', '30'], asAlice());
    expect(created.stdout).toMatch(/^Token 'ci' \(id \d+\), expires \S+\. It is shown once; keep it now:\n\S{20,}\n$/);
    const secret = created.stdout.trim().split('\n')[1]!;
    expect((await cli(['whoami'], { env: { METALYARD_TOKEN: secret } })).stdout).toContain('alice (user)');
    const tokens = await json<Array<{ id: number; name: string; current: boolean }>>(['tokens', 'list'], asAlice());
    const ci = tokens.find((token) => token.name === 'ci')!;
    expect(tableRows((await cli(['tokens', 'list'], asAlice())).stdout)[0]).toEqual(['ID', 'NAME', 'CREATED', 'EXPIRES', 'CURRENT']);
    expect(await json(['tokens', 'revoke', String(ci.id)], asAlice())).toEqual({ revoked: true });
    expect((await cli(['whoami'], { env: { METALYARD_TOKEN: secret } })).code).toBe(3);
  });

  it('manages users (admin only), and a user with a password logs in with --username', async () => {
    const created = await cli(['users', 'create', 'bob', '--password'], { input: 'bob-password-1234\n' });
    expect(created.stdout).toBe("Created user 'bob'.\n");
    expect(tableRows((await cli(['users', 'list'])).stdout)).toContainEqual(['bob', 'user', expect.any(String)]);
    expect((await cli(['users', 'list'], asAlice())).code).toBe(3);
    const login = await cli(['login', 'bob', session.server.url, '--username', 'bob'], { input: 'bob-password-1234\n' });
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/The session expires at \S+; log in again then\./);
    expect(await json(['--profile', 'bob', 'whoami'])).toMatchObject({ username: 'bob', role: 'user', profile: 'bob' });
    const wrong = await cli(['login', 'bob2', session.server.url, '--username', 'bob'], { input: 'not-the-password\n' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('refused this username and password');
    expect(await json(['users', 'update', 'bob', '--role', 'admin'])).toMatchObject({ username: 'bob', role: 'admin' });
    expect(await json(['users', 'delete', 'bob'])).toEqual({ deleted: 'bob' });
  });

  it('forwards createadmin to the server’s management command, with its arguments and output', async () => {
    const result = await cli(['createadmin', '--username', 'carol'], { env: { DATABASE_URL: session.server.databaseUrl } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("created admin 'carol'");
    const token = result.stdout.trim();
    expect(await json(['whoami'], { env: { METALYARD_TOKEN: token } })).toMatchObject({ username: 'carol', role: 'admin' });
    const usage = await cli(['createuser'], { env: { DATABASE_URL: session.server.databaseUrl } });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--username NAME is required');
  });

  it('forwards backup FILE: a copy of the running server’s database, its path on stdout', async () => {
    const target = join(dirname(session.server.databaseUrl), 'cli-backup.sqlite');
    const result = await cli(['backup', target], { env: { DATABASE_URL: session.server.databaseUrl } });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(target);
    expect(result.stderr).toContain(`${target}.key`);
    expect(existsSync(target)).toBe(true);
    expect((await cli(['backup'], { env: { DATABASE_URL: session.server.databaseUrl } })).code).toBe(2);
  });

  it('forwards dhcp-config: a dnsmasq configuration for the server’s boot script', async () => {
    const result = await cli(['dhcp-config', '--range', '10.9.0.100,10.9.0.200,255.255.255.0', '--url', 'http://10.9.0.1:5240']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dhcp-range=10.9.0.100,10.9.0.200,255.255.255.0,12h');
    expect(result.stdout).toContain('dhcp-boot=tag:ipxe,http://10.9.0.1:5240/boot/ipxe');
    const usage = await cli(['dhcp-config', '--url', 'http://10.9.0.1:5240']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give either --range');
  });
});
