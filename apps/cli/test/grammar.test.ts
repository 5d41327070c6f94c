import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminCliSession, bashCompleter, nextMac, runCli } from './harness.js';

/** One grammar, noun then verb, and the spellings of earlier versions still working. */
const session = adminCliSession();
const { cli, json } = session;
const mac = () => nextMac(0x0c);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const LEGACY_VERBS = [
  'accept',
  'acquire',
  'commission',
  'deploy',
  'release',
  'abort',
  'mark-broken',
  'mark-fixed',
  'retire',
  'delete',
  'update',
  'annotate',
  'enlist',
  'import',
  'export',
];

/** The help without its usage line, which names the command as typed. */
const helpBody = (stdout: string) => stdout.replace(/^Usage: .*\n/, '');

describe('nouns and verbs', () => {
  it('--version and -V print the version, exit 0', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('the main help lists nouns, not the earlier top-level verbs, and says how those are spelled now', async () => {
    const help = (await cli(['--help'])).stdout;
    const commands = help
      .slice(help.indexOf('Commands:'), help.indexOf('Commands are'))
      .split('\n')
      .map((line) => line.trim().split(/[\s|]/)[0]);
    expect(commands).toEqual(
      expect.arrayContaining(['nodes', 'tags', 'zones', 'pools', 'events', 'tokens', 'users', 'login', 'completion']),
    );
    for (const verb of LEGACY_VERBS) expect(commands, verb).not.toContain(verb);
    expect(help).toContain('metalyard nodes deploy ID');
    expect(help).toMatch(/-o value\s+bare values/);
    const nodesHelp = (await cli(['nodes', '--help'])).stdout;
    for (const verb of ['list', 'show', ...LEGACY_VERBS]) expect(nodesHelp, verb).toMatch(new RegExp(`^  ${verb} `, 'm'));
  });

  it('every earlier top-level verb is the same command as its `nodes` form', async () => {
    for (const verb of LEGACY_VERBS) {
      const [old, now] = await Promise.all([cli([verb, '--help']), cli(['nodes', verb, '--help'])]);
      expect(old.code, verb).toBe(0);
      expect(old.stdout).toMatch(new RegExp(`^Usage: metalyard ${verb} `));
      expect(helpBody(old.stdout), verb).toBe(helpBody(now.stdout));
    }
    expect(helpBody((await cli(['events', '--help'])).stdout)).toContain('follow');
  });

  it('both spellings act alike, and singular nouns are aliases', async () => {
    const node = await json<{ systemId: string }>(['enlist', '--arch', 'amd64/generic', '--mac', mac(), '--hostname', 'grammar-1']);
    expect(await json(['node', 'show', node.systemId])).toMatchObject({ hostname: 'grammar-1', status: 'ready' });
    expect(await json(['acquire', '--system-id', node.systemId])).toMatchObject({ status: 'allocated' });
    expect(await json(['nodes', 'release', node.systemId])).toMatchObject({ status: 'ready' });
    expect((await cli(['zone', 'create', 'grammar-zone'])).stdout).toBe("Created zone 'grammar-zone'.\n");
    expect((await cli(['zones', 'list', '-o', 'value', '-c', 'name'])).stdout).toBe('grammar-zone\n');
    const events = await json<Array<{ type: string }>>(['event', 'list', '--system-id', node.systemId]);
    expect(events.map((event) => event.type)).toEqual(['enlist', 'acquire', 'release', 'finishRelease']);
  });

  it('the machine token of a deployment is one `-o value -c machineToken` away', async () => {
    const node = await json<{ systemId: string }>(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac()]);
    await json(['nodes', 'acquire', '--system-id', node.systemId]);
    const token = await cli(['nodes', 'deploy', node.systemId, '-o', 'value', '-c', 'machineToken']);
    expect(token.stdout).toMatch(/^\S{20,}\n$/);
  });
});

describe('completion of the grammar', () => {
  const complete = bashCompleter();

  it('completes verbs under nouns, their options and option values; not the hidden spellings at the top', () => {
    const top = complete("metalyard ''").split(' ');
    expect(top).toEqual(expect.arrayContaining(['nodes', 'tags', 'zones', 'pools', 'users', 'tokens', 'events']));
    for (const verb of LEGACY_VERBS) expect(top, verb).not.toContain(verb);
    expect(complete('metalyard nodes dep')).toBe('deploy');
    expect(complete('metalyard nodes mark-')).toBe('mark-broken mark-fixed');
    expect(complete('metalyard nodes deploy --w')).toBe('--wait');
    expect(complete('metalyard nodes commission --t')).toBe('--timeout');
    expect(complete('metalyard nodes list --wa')).toBe('--watch');
    expect(complete('metalyard nodes list -o v')).toBe('value');
    expect(complete('metalyard nodes show X --output j')).toBe('json');
    expect(complete('metalyard nodes export -o vi')).toBe('vitest.config.ts'); // a file to write there
    expect(complete('metalyard events f')).toBe('follow');
    expect(complete("metalyard zones ''")).toBe('list create update delete');
  });

  it('follows aliases and the earlier spellings too', () => {
    expect(complete('metalyard node l')).toBe('list');
    expect(complete('metalyard zone c')).toBe('create');
    expect(complete('metalyard deploy --w')).toBe('--wait');
    expect(complete('metalyard release --t')).toBe('--timeout');
  });
});
