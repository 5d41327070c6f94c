import { dts } from 'rollup-plugin-dts';

// One declaration file that inlines the router's types from the workspace packages, so users of
// the SDK need only its declared dependencies (no MikroORM, no server code).
export default {
  input: 'build/types/index.d.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  external: (id) => /^(@trpc\/(client|server)|zod)(\/|$)/.test(id),
  plugins: [dts({ respectExternal: true, tsconfig: 'tsconfig.build.json' })],
};
