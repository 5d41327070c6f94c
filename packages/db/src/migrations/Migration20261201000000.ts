import { Migration } from '@mikro-orm/migrations';

/** Power control: each node's last known power state, and when a BMC told it. */
export class Migration20261201000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table `node` add column `power_state` text not null default 'unknown';");
    this.addSql('alter table `node` add column `power_state_checked_at` datetime null;');
  }
}
