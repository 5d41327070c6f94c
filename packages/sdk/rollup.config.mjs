import { fileURLToPath } from 'node:url';
import { dts } from 'rollup-plugin-dts';

const external = (id) => /^(@trpc\/(client|server)|zod)(\/|$)/.test(id);

/**
 * The SDK re-exports the domain's client-side rules (statuses, the transition table, MAC
 * normalisation): bundled in, so the published package needs only its declared dependencies.
 */
const workspace = {
  name: 'metalyard-workspace',
  resolveId(id) {
    if (id === '@metalyard/domain') return fileURLToPath(import.meta.resolve('@metalyard/domain'));
    return null;
  },
};

export default [
  // The JavaScript: the SDK's own code with the domain's inlined.
  {
    input: 'build/js/index.js',
    output: { file: 'dist/index.js', format: 'es', sourcemap: true },
    external,
    plugins: [workspace],
  },
  // One declaration file that inlines the router's types from the workspace packages, so users of
  // the SDK need only its declared dependencies (no MikroORM, no server code).
  {
    input: 'build/types/index.d.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    external,
    plugins: [dts({ respectExternal: true, tsconfig: 'tsconfig.build.json' })],
  },
];
