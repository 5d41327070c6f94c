import { Migration } from '@mikro-orm/migrations';
import { PARTIAL_INDEXES } from '../Migration20261203000000.js';

/** The PostgreSQL twin of ../Migration20261203000000.ts (partial indexes for the mostly-null node columns; on
 * PostgreSQL the owner, zone and pool ones are new). */
export class Migration20261203000000 extends Migration {
  override async up(): Promise<void> {
    for (const [name, column, unique] of PARTIAL_INDEXES) {
      // The unique one was a constraint (with its index); of the others only the deadline's existed
      // (owner, zone and pool had none here: PostgreSQL doesn't index a foreign key by itself).
      this.addSql(unique ? `alter table "node" drop constraint "${name}";` : `drop index if exists "${name}";`);
      this.addSql(`create ${unique ? 'unique ' : ''}index "${name}" on "node" ("${column}") where ${column} is not null;`);
    }
  }
}
