import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';

/**
 * The CLI as one self-contained package in dist/: tsc's output (build/) with the SDK and every
 * runtime dependency bundled in, a package.json without dependencies, and the licences of what was
 * bundled. `pnpm pack` packs dist/ (publishConfig.directory), so the tarball installs on its own.
 */
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The manifest of the package a bundled file belongs to (the nearest package.json with a name). */
function packageOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8'));
    if (pkg.name && pkg.version) return { dir, pkg };
  }
  return null;
}

/** Writes dist/package.json (no dependencies: they are inside) and THIRD-PARTY-LICENSES.txt. */
function standalonePackage() {
  return {
    name: 'standalone-package',
    generateBundle(_options, bundle) {
      const bundled = new Map();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          const owner = id.startsWith('\0') ? null : packageOf(id.split('?')[0]);
          if (owner && owner.pkg.name !== manifest.name) bundled.set(`${owner.pkg.name}@${owner.pkg.version}`, owner);
        }
      }
      const licences = [...bundled.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, { dir, pkg }]) => {
          const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
          const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
          return `${key} (${pkg.license ?? 'unknown'})\n\n${text}\n`;
        });
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD-PARTY-LICENSES.txt',
        source: `The metalyard CLI bundles these packages:\n\n${licences.join(`\n${'-'.repeat(72)}\n\n`)}`,
      });
      const published = {
        name: manifest.name,
        version: manifest.version,
        description: manifest.description,
        type: 'module',
        bin: { metalyard: './main.js' },
        files: ['main.js', 'chunks', 'THIRD-PARTY-LICENSES.txt'],
        engines: { node: '>=20.19' },
      };
      this.emitFile({ type: 'asset', fileName: 'package.json', source: `${JSON.stringify(published, null, 2)}\n` });
      this.emitFile({ type: 'asset', fileName: 'README.md', source: readFileSync(new URL('./README.md', import.meta.url), 'utf8') });
    },
  };
}

/**
 * Removes what an earlier build left in dist/ that this one did not write. dist/ is rewritten in
 * place, never emptied first, so a CLI started during a rebuild still finds its files.
 */
function removeStale() {
  return {
    name: 'remove-stale',
    writeBundle(options, bundle) {
      const written = new Set(Object.keys(bundle));
      const walk = (dir, prefix) => {
        for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
          const name = `${prefix}${entry.name}`;
          if (entry.isDirectory()) walk(join(dir, entry.name), `${name}/`);
          else if (!written.has(name) && !name.endsWith('.tgz')) rmSync(join(dir, entry.name));
        }
      };
      walk(options.dir, '');
    },
  };
}

export default {
  input: 'build/main.js',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: (chunk) => (chunk.isDynamicEntry ? 'chunks/[name].js' : 'chunks/shared.js'),
  },
  external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
  plugins: [nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), standalonePackage(), removeStale()],
  onwarn(warning, warn) {
    // Dependencies that reference `this` at the top of an ES module, or have circular imports, work as bundled.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};
