import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = '@metalyard/cli';

/**
 * The folder of the CLI's package.json: the nearest one above this module named @metalyard/cli.
 * In the repository that is apps/cli/dist (the bundle's own manifest, see rollup.config.mjs);
 * installed from the tarball, the package's folder. Found at run time so chunks can live anywhere.
 */
function findPackage(): { dir: string; version: string } | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)), depth = 0; depth < 8 && dir !== dirname(dir); dir = dirname(dir), depth++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === NAME) return { dir, version: manifest.version ?? 'unknown' };
    } catch {
      // no (readable) package.json here: look further up
    }
  }
  return null;
}

const found = findPackage();

/** The CLI's version, from its package.json. */
export const CLI_VERSION = found?.version ?? 'unknown';

/**
 * The server's management command, when this CLI runs from the repository's apps/cli/dist
 * (→ apps/server/dist/manage.js); installed on its own, there is none.
 */
export const SERVER_MANAGE = found ? join(found.dir, '..', '..', 'server', 'dist', 'manage.js') : null;
