/**
 * Imported first by the server's entry points: on a Node.js older than 22.17 (which MikroORM 7 and
 * better-sqlite3 13 need; better-sqlite3 crashes on Node 20 rather than failing), say what to do and
 * exit before anything else loads.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  process.stderr.write(
    `metalyard: Node.js ${process.versions.node} is too old: Metalyard needs Node.js 22.17 or later (24 LTS recommended).\n` +
      '  From a checkout: run `sh scripts/install.sh` (it brings Node 24 when the system has an older one), then `pnpm start`.\n' +
      '  Otherwise install Node.js 24 LTS and run this again.\n',
  );
  process.exit(1);
}
export {};
