import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000 } from './Migration20261125000000.js';

/** Every committed migration, oldest first. Applied at start by `openDatabase`. */
export const MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261125000000', class: Migration20261125000000 }];
