import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000 } from './Migration20261125000000.js';
import { Migration20261201000000 } from './Migration20261201000000.js';
import { Migration20261202000000 } from './Migration20261202000000.js';
import { Migration20261203000000 } from './Migration20261203000000.js';

/**
 * Every committed PostgreSQL migration, oldest first, with the same names as the SQLite ones in
 * ../index.ts: a schema change adds a migration to both lists.
 */
export const POSTGRES_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125000000', class: Migration20261125000000 },
  { name: 'Migration20261201000000', class: Migration20261201000000 },
  { name: 'Migration20261202000000', class: Migration20261202000000 },
  { name: 'Migration20261203000000', class: Migration20261203000000 },
];
