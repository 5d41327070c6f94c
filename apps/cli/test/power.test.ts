import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type WebhookServer } from '@metalyard/power/testing';
import { adminCliSession, nextMac, tableRows } from './harness.js';

interface NodeJson {
  systemId: string;
  powerState: string;
  powerStateCheckedAt: string | null;
}

/** `nodes power …` against a webhook BMC simulator on loopback (the periodic sync off: only the CLI asks). */
const { cli, json, asAlice, start } = adminCliSession({ METALYARD_POWER_SYNC_INTERVAL: '0' });
const mac = () => nextMac(0x0e);

let pdu: WebhookServer;
beforeAll(async () => {
  pdu = await startWebhookServer({ power: 'off' });
});
afterAll(async () => {
  await pdu?.stop();
});

async function webhookNode(hostname: string): Promise<string> {
  const parameters = Object.entries(pdu.parameters).flatMap(([key, value]) => ['--power-param', `${key}=${value}`]);
  const node = await json<NodeJson>([
    'nodes',
    'enlist',
    '--arch',
    'amd64/generic',
    '--mac',
    mac(),
    '--hostname',
    hostname,
    '--power-type',
    'webhook',
    ...parameters,
  ]);
  return node.systemId;
}

describe('nodes power', () => {
  it('powers a node on: the table shows POWER on, and `nodes show` when the BMC was last asked', async () => {
    const systemId = await webhookNode('pdu-1');
    const before = (await cli(['nodes', 'show', systemId])).stdout;
    expect(before).toMatch(/^power state\s+unknown$/m);
    expect(before).toMatch(/^power checked\s+- \(not asked yet\)$/m);

    const on = await cli(['nodes', 'power', 'on', systemId]);
    expect(on.code).toBe(0);
    const [head, row] = tableRows(on.stdout);
    expect(row?.[head!.indexOf('POWER')]).toBe('on');
    expect(row?.[head!.indexOf('POWER TYPE')]).toBe('webhook');
    expect(pdu.power).toBe('on');

    const after = await json<NodeJson>(['nodes', 'show', systemId]);
    expect(after.powerState).toBe('on');
    expect(after.powerStateCheckedAt).toEqual(expect.any(String));
    const shown = (await cli(['nodes', 'show', systemId])).stdout;
    expect(shown).toMatch(/^power state\s+on$/m);
    expect(shown).toMatch(new RegExp(`^power checked\\s+${after.powerStateCheckedAt!.replace(/\./g, '\\.')}$`, 'm'));
    expect((await cli(['nodes', 'list', '--hostname-prefix', 'pdu-1', '-o', 'value', '-c', 'hostname', '-c', 'power'])).stdout).toBe(
      'pdu-1 on\n',
    );
  });

  it('--wait asks the BMC until it reports the state asked for', async () => {
    const systemId = await webhookNode('pdu-2');
    expect((await cli(['nodes', 'power', 'on', systemId])).code).toBe(0);
    // A soft off takes a while: the BMC still says on the first time it is asked afterwards.
    let asked = 0;
    pdu.status = (power) => ({ code: 200, body: (asked += 1) === 1 ? 'on' : power });
    const off = await cli(['nodes', 'power', 'off', systemId, '--soft', '--wait', '--json']);
    expect(off.code).toBe(0);
    expect(asked).toBe(2);
    expect(off.stderr).toContain(`Waiting for ${systemId} to be powered off`);
    expect(off.stderr).toContain(`${systemId}: the BMC says on`);
    expect(JSON.parse(off.stdout)).toMatchObject({ systemId, powerState: 'off' });
    expect(pdu.calls.map((call) => call.path)).toContain('/soft-off');
  });

  it('--wait gives up after --timeout with exit 1 when the machine never gets there', async () => {
    const systemId = await webhookNode('pdu-3');
    pdu.status = () => ({ code: 200, body: 'off' });
    const on = await cli(['nodes', 'power', 'on', systemId, '--wait', '--timeout', '1s']);
    expect(on.code).toBe(1);
    expect(on.stderr).toContain(`metalyard: timed out after 1s: ${systemId} is still off, not on`);
    expect(on.stdout).toBe('');
  });

  it('nodes list --watch follows the power state as it changes', async () => {
    const systemId = await webhookNode('pdu-watch-1');
    pdu.status = (power) => ({ code: 200, body: power });
    const watching = start(['nodes', 'list', '--watch', '--hostname-prefix', 'pdu-watch-', '-o', 'value', '-c', 'hostname', '-c', 'power']);
    await watching.waitFor('Watching for changes');
    expect((await cli(['nodes', 'power', 'on', systemId])).code).toBe(0);
    await watching.waitFor('pdu-watch-1 on\n', 'stdout');
    expect((await cli(['nodes', 'power', 'off', systemId])).code).toBe(0);
    await watching.waitFor('pdu-watch-1 off\n', 'stdout');
    expect(await watching.interrupt()).toBe(0);
    expect(watching.output().stdout).toBe('pdu-watch-1 unknown\npdu-watch-1 on\npdu-watch-1 off\n');
  });

  it('usage: --wait with status, --soft without off (exit 2, nothing asked)', async () => {
    const systemId = await webhookNode('pdu-4');
    const calls = pdu.calls.length;
    for (const args of [
      ['nodes', 'power', 'status', systemId, '--wait'],
      ['nodes', 'power', 'on', systemId, '--soft'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^metalyard: /);
    }
    expect(pdu.calls.length).toBe(calls);
  });

  it('a BMC that fails is exit 6 with its message; a manual node 409 (exit 5); another user’s node 403 (exit 3)', async () => {
    const systemId = await webhookNode('pdu-5');
    pdu.status = () => ({ code: 500, body: 'outlet jammed' });
    const failed = await cli(['nodes', 'power', 'status', systemId]);
    expect(failed.code).toBe(6);
    expect(failed.stderr).toMatch(
      /power query failed for node [a-z2-7]{6}: GET http:\/\/127\.0\.0\.1:\d+\/status .*HTTP 500: outlet jammed/,
    );

    const manual = (await json<NodeJson>(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac()])).systemId;
    const conflict = await cli(['nodes', 'power', 'on', manual]);
    expect(conflict.code).toBe(5);
    expect(conflict.stderr).toContain('manual');

    const refused = await cli(['nodes', 'power', 'on', systemId], asAlice());
    expect(refused.code).toBe(3);
  });
});
