// @ts-check
/**
 * Lint for the whole workspace: typescript-eslint's recommended rules, and the layering rules —
 * dependencies point inward (docs/architecture.md). Formatting is Prettier's (.prettierrc.json).
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import patterns a layer may not use, each with the reason shown to whoever tries. */
const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([group, message]) => ({ group, message })),
    },
  ],
});

const STORAGE = [
  ['@mikro-orm/*', 'pg', 'better-sqlite3', 'sqlite3', '@metalyard/db'],
  'storage belongs to packages/db (adapters), behind the use cases’ ports',
];
const TRANSPORT = [
  ['@trpc/*', 'node:http', 'node:https', 'trpc-to-openapi', '@metalyard/api', '@metalyard/server'],
  'transport belongs to packages/api and apps/server',
];
const NODE_IO = [['node:*', 'fs', 'path', 'child_process'], 'the domain is pure: no I/O, no Node modules'];
const SERVER_CODE = [
  [
    '@metalyard/domain',
    '@metalyard/usecases',
    '@metalyard/db',
    '@metalyard/api',
    '@metalyard/server',
    '@metalyard/power',
    '@mikro-orm/*',
    '@trpc/server',
    '@trpc/server/*',
  ],
  'clients talk to Metalyard only through @metalyard/sdk',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/coverage/**',
      '**/.turbo/**',
      'data/**',
      'packages/browser-tests/artifacts/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  { files: ['apps/admin/src/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests read loosely typed JSON answers.
  { files: ['**/test/**', '**/*.test.ts', '**/*.test.tsx'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },

  // The layers: each may import only what lies inward of it.
  {
    files: ['packages/domain/src/**'],
    rules: forbid(STORAGE, TRANSPORT, NODE_IO, [['@metalyard/*'], 'the domain depends on nothing of ours']),
  },
  {
    files: ['packages/usecases/src/**'],
    rules: forbid(STORAGE, TRANSPORT, [['@metalyard/power', '@metalyard/sdk'], 'use cases reach adapters only through their ports']),
  },
  {
    files: ['packages/db/src/**'],
    rules: forbid(TRANSPORT, [['@metalyard/sdk', '@metalyard/power'], 'persistence adapters know only the domain and the ports']),
  },
  {
    files: ['packages/power/src/**'],
    // Power drivers speak HTTP to BMCs (node:http/https as clients), but serve nothing.
    rules: forbid(STORAGE, [
      ['@trpc/*', 'trpc-to-openapi', '@metalyard/api', '@metalyard/server', '@metalyard/sdk'],
      'power drivers are adapters behind the use cases’ ports',
    ]),
  },
  {
    files: ['packages/api/src/**'],
    rules: forbid(STORAGE, [
      ['@metalyard/server', '@metalyard/power', '@metalyard/sdk', 'node:http', 'node:https'],
      'the API is transport-neutral procedures on the use cases',
    ]),
  },
  {
    files: ['packages/sdk/src/**'],
    rules: forbid(STORAGE, [['@metalyard/usecases', '@metalyard/server', '@metalyard/power'], 'the SDK ships no server code']),
  },
  { files: ['apps/admin/src/**', 'apps/cli/src/**'], rules: forbid(SERVER_CODE, STORAGE) },
);
