import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL twin of ../Migration20261202000000.ts (the machine agent's columns, the deployed image). */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "node" add column "agent_token_issued_at" timestamptz null, add column "agent_step" varchar(16) null, ' +
        'add column "agent_message" text null, add column "agent_at" timestamptz null, add column "image" varchar(128) null;',
    );
  }
}
