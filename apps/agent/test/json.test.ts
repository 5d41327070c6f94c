import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSYBOX, PACKAGE_DIR, SKIP_REASON, cleanup, shell, tempDir } from './harness.js';

const dir = tempDir('json');
afterAll(() => cleanup(dir));

function flatten(document: string) {
  const file = join(dir, 'doc.json');
  writeFileSync(file, document);
  return shell(`json_flatten < '${file}'`);
}

function get(document: unknown, path: string) {
  const file = join(dir, 'get.json');
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return shell(`printf '%s|%s' "$(json_get '${file}' '${path}')" "$(json_type '${file}' '${path}')"`).stdout;
}

describe.skipIf(!BUSYBOX)(`json helpers ${SKIP_REASON}`, () => {
  it('json_str escapes quotes, backslashes and every control character, and round-trips through JSON.parse', () => {
    const samples = [
      '',
      'plain',
      'a "quoted" word',
      'back\\slash\\',
      'tab\there\r\nnew line\n',
      'controls \u0001\u0002\u001b\u001f end',
      'trailing newlines\n\n',
      'ünïcödé stays',
      '$(not run) `nor this` $HOME',
    ];
    for (const sample of samples) {
      const result = shell('json_str "$VALUE"', { VALUE: sample });
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout), JSON.stringify(sample)).toBe(sample);
    }
  });

  it('json_num and json_bool print JSON literals', () => {
    expect(shell('json_num 42; json_num ""; json_num 1.5; json_num "4 2"; json_bool true; json_bool 0').stdout).toBe(
      '42null1.5nulltruefalse',
    );
  });

  it('flattens a realistic lookup answer, nested image included', () => {
    const answer = {
      result: {
        data: {
          systemId: 'abc234',
          status: 'deploying',
          step: 'deploy',
          token: 'mlm_AbC-123_xyz',
          heartbeatSeconds: 10,
          image: { name: 'ubuntu-24.04', url: 'http://10.0.0.1:5240/images/ubuntu-24.04', sha256: 'a'.repeat(64), sizeBytes: 2147483648 },
          erase: null,
        },
      },
    };
    const result = flatten(JSON.stringify(answer));
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'result.data.systemId\ts\tabc234',
      'result.data.status\ts\tdeploying',
      'result.data.step\ts\tdeploy',
      'result.data.token\ts\tmlm_AbC-123_xyz',
      'result.data.heartbeatSeconds\tn\t10',
      'result.data.image.name\ts\tubuntu-24.04',
      'result.data.image.url\ts\thttp://10.0.0.1:5240/images/ubuntu-24.04',
      `result.data.image.sha256\ts\t${'a'.repeat(64)}`,
      'result.data.image.sizeBytes\tn\t2147483648',
      'result.data.erase\tz\tnull',
      '',
    ]);
  });

  it('reads nulls, missing paths, nested objects and pretty-printed documents', () => {
    const unknown = {
      result: { data: { systemId: null, status: null, step: 'none', token: null, heartbeatSeconds: 10, image: null, erase: null } },
    };
    expect(get(unknown, 'result.data.systemId')).toBe('|z');
    expect(get(unknown, 'result.data.step')).toBe('none|s');
    expect(get(unknown, 'result.data.nothere')).toBe('|');
    const erase = { result: { data: { erase: { mode: 'full' }, image: null } } };
    expect(get(erase, 'result.data.erase.mode')).toBe('full|s');
    expect(get(erase, 'result.data.erase')).toBe('|x');
    expect(get('  {"result" : {"data":{"proceed" :false , "status":"deploying"}}}\n', 'result.data.proceed')).toBe('false|b');
  });

  it('reads a node as enlist returns it (arrays, nested records, escapes)', () => {
    const node = {
      result: {
        data: {
          systemId: 'k3v9qa',
          hostname: 'quiet-otter',
          status: 'declared',
          architecture: 'amd64/generic',
          macAddresses: ['52:54:00:12:34:56', '52:54:00:12:34:57'],
          powerType: 'manual',
          owner: null,
          tags: [],
          hardware: { cpuCount: 2, memoryMb: 512, storage: [{ name: 'vda', sizeGb: 0.07 }], nics: [] },
          annotations: {},
          statusMessage: 'said "hi" \\ ü É\n',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      },
    };
    const file = join(dir, 'node.json');
    // Raw UTF-8 passes through; a \u escape outside ASCII reads as '?'.
    writeFileSync(file, JSON.stringify(node).replace('É', '\\u00c9'));
    const out = shell(
      `for p in systemId status macAddresses.1 hardware.storage.0.sizeGb tags annotations statusMessage owner; do printf '%s=%s\\n' "$p" "$(json_get '${file}' "result.data.$p")"; done`,
    ).stdout;
    expect(out).toBe(
      [
        'systemId=k3v9qa',
        'status=declared',
        'macAddresses.1=52:54:00:12:34:57',
        'hardware.storage.0.sizeGb=0.07',
        'tags=[]',
        'annotations={}',
        'statusMessage=said "hi" \\ ü ? ',
        'owner=',
        '',
      ].join('\n'),
    );
  });

  it('reads a tRPC error answer', () => {
    const error = {
      error: {
        message: "MAC 52:54:00:12:34:56 belongs to node k3v9qa, which is 'ready'",
        code: -32009,
        data: { code: 'CONFLICT', httpStatus: 409, path: 'enlist' },
      },
    };
    expect(get(error, 'error.message')).toBe("MAC 52:54:00:12:34:56 belongs to node k3v9qa, which is 'ready'|s");
    expect(get(error, 'error.data.httpStatus')).toBe('409|n');
  });

  it('rejects malformed documents with exit status 2', () => {
    for (const bad of ['{', '{"a":}', '{"a":1,}', '{"a":"unterminated}', '[1 2]', '{"a":1} trailing', 'nul', '']) {
      const result = flatten(bad);
      expect(result.status, bad).toBe(2);
    }
  });

  it('every agent script parses under busybox sh -n', () => {
    const files = [
      join(PACKAGE_DIR, 'agent', 'metalyard-agent'),
      join(PACKAGE_DIR, 'initramfs', 'init'),
      join(PACKAGE_DIR, 'initramfs', 'udhcpc.script'),
    ];
    for (const name of readdirSync(join(PACKAGE_DIR, 'agent', 'lib'))) files.push(join(PACKAGE_DIR, 'agent', 'lib', name));
    for (const file of files) {
      const result = spawnSync(BUSYBOX!, ['sh', '-n', file], { encoding: 'utf8' });
      expect(result.status, `${file}: ${result.stderr}`).toBe(0);
      expect(readFileSync(file, 'utf8')).not.toMatch(/\bbash\b|\bcurl\b|\bjq\b|python/);
    }
  });
});
