import { Migration } from '@mikro-orm/migrations';

/** Network boot and the machine agent: the agent's token handout, its last heartbeat, the deployed image. */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `node` add column `agent_token_issued_at` datetime null;');
    this.addSql('alter table `node` add column `agent_step` text null;');
    this.addSql('alter table `node` add column `agent_message` text null;');
    this.addSql('alter table `node` add column `agent_at` datetime null;');
    this.addSql('alter table `node` add column `image` text null;');
  }
}
