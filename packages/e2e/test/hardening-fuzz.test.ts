import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, allSystemIds, client, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

/**
 * Fuzzing the anonymous door: generated bodies over real HTTP to every public procedure.
 * Never a 5xx, the server stays up, and nothing is written but what the server acknowledged.
 */

const INPUTS_PER_PROCEDURE = 10_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const scratch = scratchDir();
let server: ServerProcess;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  // The anonymous door's limits are for real networks; the fuzzer must reach the procedure itself.
  server = await startServer(`${scratch.path}/fuzz.sqlite`, { METALYARD_ANON_RATE: '0', METALYARD_MAX_DECLARED: '100000' });
});

afterAll(async () => {
  agent.destroy();
  await server?.stop();
  scratch.remove();
});

const ARCHITECTURES = ['amd64/generic', 'arm64/generic', 'i386/generic', 'AMD64/generic', 'amd64', 'amd64/generic\u0000', ''];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
const FRAGMENTS = [
  "'; drop table node; --",
  '" or 1=1 --',
  'x); delete from mac_address; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '\u202e\u200b\ufeff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢-名前-😀',
];
const MAX_BODY_BYTES = 1024 * 1024;
/** Huge bodies, built once: a hostname of 64 KiB, a MAC list of 1,000 entries, a body just over the limit. */
const HUGE_BODIES = [
  JSON.stringify({ hostname: 'a'.repeat(64 * 1024), architecture: 'amd64/generic', macAddresses: ['02:00:00:00:00:01'] }),
  JSON.stringify({
    architecture: 'amd64/generic',
    macAddresses: Array.from(
      { length: 1000 },
      (_, i) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    ),
  }),
  JSON.stringify({
    architecture: 'amd64/generic',
    macAddresses: ['02:00:00:00:00:02'],
    powerParameters: { password: 'p'.repeat(MAX_BODY_BYTES) },
  }),
  JSON.stringify({ hostname: 'é'.repeat(200_000), architecture: 'amd64/generic', macAddresses: ['02:00:00:00:00:03'] }),
];

const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
const notHex = fc.constantFrom(...'gGzZ:-. _\u0000ü');
/** MAC-like strings in every notation, well-formed and not: wrong group sizes, separators, digits. */
const macLike = fc.oneof(
  fc
    .tuple(
      fc.array(fc.array(fc.oneof({ weight: 9, arbitrary: hex }, { weight: 1, arbitrary: notHex }), { minLength: 1, maxLength: 5 }), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.constantFrom(':', '-', '.', '', ' ', '::', ':-'),
    )
    .map(([groups, separator]) => groups.map((group) => group.join('')).join(separator)),
  fc.constantFrom(
    '00:00:00:00:00:00',
    'ff:ff:ff:ff:ff:ff',
    '01:00:5e:00:00:01',
    'aa:bb:cc:dd:ee:ff:00',
    'aabb.ccdd.eeff.0011',
    'aabbccddeef',
    'AA-BB-CC-DD-EE-F',
  ),
  fc.string({ maxLength: 40 }),
);

/** Any JSON value, deep and wide, including strings with unicode. */
const json = fc.jsonValue({ maxDepth: 3 });
const hostile = fc.oneof(
  fc.constantFrom(...FRAGMENTS, 'a'.repeat(254), 'é'.repeat(2_000)),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  json,
);
/** Nested arrays of anything, down to a few levels. */
const nested = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, macLike, json, fc.array(tie('tree'), { maxLength: 4 })),
})).tree;

/** An object written key by key, so `__proto__` and duplicate keys reach the wire as generated. */
class RawObject {
  constructor(readonly entries: [string, unknown][]) {}
}
function serialize(value: unknown): string {
  if (value instanceof RawObject) return `{${value.entries.map(([key, entry]) => `${JSON.stringify(key)}:${serialize(entry)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
const objectOf = (values: fc.Arbitrary<unknown>) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS, 'password', 'status', 'owner'), fc.string({ maxLength: 12 })), values), {
      maxLength: 6,
    })
    .map((entries) => new RawObject(entries));

const pollution = fc.tuple(
  fc.constantFrom(...POLLUTION_KEYS),
  objectOf(fc.oneof(json, fc.constantFrom('ready', 'allocated', 'admin', true))),
);

/** Bodies that look like an enlistment, with each field right, wrong, hostile or missing, plus extra keys. */
const enlistLike = fc
  .record(
    {
      hostname: fc.oneof(fc.constantFrom('rack1-n1', 'node-a'), hostile),
      architecture: fc.oneof(fc.constantFrom(...ARCHITECTURES), hostile),
      macAddresses: fc.oneof(fc.array(macLike, { maxLength: 70 }), nested, hostile),
      powerType: fc.oneof(fc.constantFrom('manual', 'ipmi', 'redfish', 'IPMI', 'none'), hostile),
      powerParameters: fc.oneof(objectOf(fc.oneof(fc.string({ maxLength: 20 }), json)), hostile),
    },
    { requiredKeys: [] },
  )
  .chain((fields) =>
    fc
      .array(
        fc.oneof(pollution, fc.tuple(fc.constantFrom('status', 'owner', 'tags', 'zone', 'pool', 'annotations', 'systemId', 'id'), hostile)),
        { maxLength: 3 },
      )
      .map((extra) => serialize(new RawObject([...Object.entries(fields), ...extra]))),
  );

/** Text that is not JSON at all, or broken JSON. */
const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '{"architecture":', '[1,2', 'null', 'undefined', 'NaN', '{"a":1}}', '\u0000', '{"__proto__":'),
  enlistLike.map((text) => text.slice(0, Math.max(1, text.length - 3))),
);

/** Well-formed enlistments in every MAC notation: these may be accepted, and are counted. */
const validEnlist = fc
  .tuple(
    fc.constantFrom(...ARCHITECTURES.slice(0, 3)),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
    fc.constantFrom(':', '-', '.', ''),
    fc.boolean(),
  )
  .map(([architecture, bytes, notation, upper]) => {
    const digits = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
    const mac = notation === '.' ? digits.match(/..../g)!.join('.') : digits.match(/../g)!.join(notation);
    return JSON.stringify({ architecture, macAddresses: [upper ? mac.toUpperCase() : mac] });
  });

interface Sample {
  path: string;
  body: string;
  contentType?: string;
}
const sample: fc.Arbitrary<Sample> = fc.oneof(
  { weight: 30, arbitrary: enlistLike.map((body) => ({ path: '/trpc/enlist', body })) },
  { weight: 1, arbitrary: validEnlist.map((body) => ({ path: '/trpc/enlist', body })) },
  { weight: 10, arbitrary: json.map((value) => ({ path: '/trpc/enlist', body: JSON.stringify(value) })) },
  { weight: 10, arbitrary: notJson.map((body) => ({ path: '/trpc/enlist', body })) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(enlistLike, fc.constantFrom(undefined, 'text/plain', 'application/json; charset=latin1', 'multipart/form-data'))
      .map(([body, contentType]) => ({ path: '/trpc/enlist', body, contentType })),
  },
  {
    weight: 5,
    arbitrary: fc.array(enlistLike, { minLength: 1, maxLength: 5 }).map((bodies) => ({
      path: `/trpc/${bodies.map(() => 'enlist').join(',')}?batch=1`,
      body: `{${bodies.map((body, i) => `"${i}":${body}`).join(',')}}`,
    })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_BODIES).map((body) => ({ path: '/trpc/enlist', body })) },
);

/** Every system id a tRPC answer (single or batched) acknowledges as created or returned. */
function acknowledgedIds(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const answers = Array.isArray(parsed) ? parsed : [parsed];
  return answers.flatMap((answer) => {
    const data = (answer as { result?: { data?: { systemId?: unknown; status?: unknown; owner?: unknown } } }).result?.data;
    return typeof data?.systemId === 'string' ? [data.systemId] : [];
  });
}

it(`answers ${INPUTS_PER_PROCEDURE} generated enlist inputs without a 5xx, and writes only what it acknowledges (seed ${SEED})`, async () => {
  const before = await allSystemIds(server.url);
  const samples = fc.sample(sample, { numRuns: INPUTS_PER_PROCEDURE, seed: SEED });
  const serverErrors: string[] = [];
  const acknowledged = new Set<string>();
  const statuses = new Map<number, number>();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < samples.length) {
        const { path, body, contentType } = samples[next++]!;
        const reply = await rawRequest(server.url, {
          path,
          body,
          agent,
          headers: contentType ? { 'content-type': contentType } : { 'content-type': 'application/json' },
        }).catch((error: NodeJS.ErrnoException) => {
          // Over the limit the server answers 413 and hangs up before the body is sent whole.
          if (Buffer.byteLength(body) > MAX_BODY_BYTES && (error.code === 'EPIPE' || error.code === 'ECONNRESET'))
            return { status: 413, body: '' };
          throw new Error(`${error.code ?? error.message} for ${path} ${body.slice(0, 200)}`);
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500) serverErrors.push(`${reply.status} for ${path} ${body.slice(0, 300)} → ${reply.body.slice(0, 300)}`);
        for (const systemId of acknowledgedIds(reply.body)) acknowledged.add(systemId);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.info(
    `fuzz: ${samples.length} inputs in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${acknowledged.size} nodes acknowledged`,
  );

  expect(serverErrors.slice(0, 5), `${serverErrors.length} answers were 5xx (FUZZ_SEED=${SEED} replays them)`).toEqual([]);
  expect((await rawRequest(server.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  const after = await allSystemIds(server.url);
  expect(
    [...after].filter((systemId) => !before.has(systemId) && !acknowledged.has(systemId)),
    'nodes written without being acknowledged',
  ).toEqual([]);
  expect(after).toEqual(new Set([...before, ...acknowledged]));
  // How fast the server answers belongs to `pnpm bench`, not here: a loaded machine must not fail this test.
}, 180_000);

it('lets no protected field through: every anonymous node is declared and unowned', async () => {
  const admin = client(server.url, ADMIN_TOKEN);
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page: Awaited<ReturnType<typeof admin.protected.nodes.list.query>> = await admin.protected.nodes.list.query({
      limit: 1000,
      cursor,
    });
    for (const node of page.items) expect(node, node.systemId).toMatchObject({ status: 'declared', owner: null });
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toBeGreaterThan(0);
});
