import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(SDK_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
const scratch = mkdtempSync(join(tmpdir(), 'metalyard-sdk-consumer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CONSUMER = `
import { createMetalyardClient, type Node, type NodeStatus, type RouterInputs, type RouterOutputs } from '@metalyard/sdk';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export async function main(): Promise<NodeStatus> {
  const client = createMetalyardClient({ url: 'http://127.0.0.1:5240', token: 'mly_example' });
  const node = await client.protected.nodes.get.query({ systemId: 'abcdef' });
  const notAny: IsAny<typeof node.status> = false;
  const union: Equal<
    typeof node.status,
    | 'declared'
    | 'commissioning'
    | 'failed_commissioning'
    | 'ready'
    | 'allocated'
    | 'deploying'
    | 'deployed'
    | 'failed_deployment'
    | 'releasing'
    | 'broken'
    | 'retired'
  > = true;
  const sameNode: Equal<typeof node, Node> = true;
  // @ts-expect-error a status outside the union is refused
  const bogus: typeof node.status = 'bogus';
  // @ts-expect-error enlist needs an architecture from the fixed list
  await client.enlist.mutate({ architecture: 'vax/generic', macAddresses: ['aa:bb:cc:dd:ee:ff'] });
  const input: RouterInputs['enlist'] = { architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:ff'] };
  const page: RouterOutputs['protected']['nodes']['list'] = await client.protected.nodes.list.query({ limit: 10 });
  const perStatus: Record<NodeStatus, number> = page.counts;
  void [notAny, union, sameNode, bogus, input, page, perStatus];
  return node.status;
}
`;

let tarball: string;

beforeAll(() => {
  execFileSync('pnpm', ['pack', '--pack-destination', scratch], { cwd: SDK_DIR, stdio: 'pipe' });
  tarball = join(
    scratch,
    readdirSync(scratch).find((name) => name.endsWith('.tgz'))!,
  );
  const consumer = join(scratch, 'consumer');
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { '@metalyard/sdk': `file:${tarball}` } }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
        types: [],
      },
      include: ['index.ts'],
    }),
  );
  writeFileSync(join(consumer, 'index.ts'), CONSUMER);
  // Only the tarball and its declared dependencies, from the registry (or npm's cache).
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
    cwd: consumer,
    stdio: 'pipe',
  });
}, 180_000);

it('ships declared dependencies only, none of the server’s', () => {
  const manifest = JSON.parse(readFileSync(join(scratch, 'consumer', 'node_modules', '@metalyard', 'sdk', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server', 'zod']);
  for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  const installed = readdirSync(join(scratch, 'consumer', 'node_modules'));
  expect(installed).not.toContain('@mikro-orm');
  const declarations = readFileSync(join(scratch, 'consumer', 'node_modules', '@metalyard', 'sdk', 'dist', 'index.d.ts'), 'utf8');
  expect(declarations).not.toMatch(/@metalyard\/|mikro-orm/);
});

it('type-checks a consumer with skipLibCheck off: statuses are a string union, not any', () => {
  const run = () => execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: join(scratch, 'consumer'), stdio: 'pipe' });
  try {
    run();
  } catch (error) {
    throw new Error(`tsc failed:\n${String((error as { stdout?: Buffer }).stdout)}`, { cause: error });
  }
}, 120_000);

it('really checks: a consumer that misuses a status fails to compile', () => {
  const consumer = join(scratch, 'consumer');
  writeFileSync(
    join(consumer, 'index.ts'),
    `${CONSUMER}\nexport const wrong: 'declared' = (null as unknown as Awaited<ReturnType<typeof main>>);\n`,
  );
  let output = '';
  try {
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer, stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: Buffer }).stdout);
  }
  expect(output).toMatch(/index\.ts\(\d+,\d+\): error TS2322: Type '.*"retired".*' is not assignable to type '"declared"'/);
  expect(output).toContain('index.ts(');
  writeFileSync(join(consumer, 'index.ts'), CONSUMER);
}, 120_000);
