import type { MigrationObject } from '@mikro-orm/core';

/**
 * The name of every committed migration, oldest first: enough to tell that a database is up to
 * date without loading the migrations, which pull in the migrator and its many modules at start.
 */
export const MIGRATION_NAMES: readonly string[] = [
  'Migration20261125000000',
  'Migration20261201000000',
  'Migration20261202000000',
  'Migration20261203000000',
];

/** The committed migrations, named as in MIGRATION_NAMES; `openDatabase` loads them when one is pending. */
export async function loadMigrations(): Promise<MigrationObject[]> {
  const [{ Migration20261125000000 }, { Migration20261201000000 }, { Migration20261202000000 }, { Migration20261203000000 }] =
    await Promise.all([
      import('./Migration20261125000000.js'),
      import('./Migration20261201000000.js'),
      import('./Migration20261202000000.js'),
      import('./Migration20261203000000.js'),
    ]);
  return [
    { name: 'Migration20261125000000', class: Migration20261125000000 },
    { name: 'Migration20261201000000', class: Migration20261201000000 },
    { name: 'Migration20261202000000', class: Migration20261202000000 },
    { name: 'Migration20261203000000', class: Migration20261203000000 },
  ];
}
