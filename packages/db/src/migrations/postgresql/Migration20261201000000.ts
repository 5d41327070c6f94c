import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of ../Migration20261201000000.ts (power state per node). */
export class Migration20261201000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "node" add column "power_state" varchar(8) not null default \'unknown\', add column "power_state_checked_at" timestamptz null;',
    );
  }
}
