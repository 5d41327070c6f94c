import { Migration } from '@mikro-orm/migrations';

/** The foundation schema: users and their API tokens, nodes with their MACs, and node events. */
export class Migration20261125000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `app_user` (`id` integer not null primary key autoincrement, `username` text not null, `role` text not null, `password_hash` text null, `created_at` datetime not null);',
    );
    this.addSql('create unique index `app_user_username_unique` on `app_user` (`username`);');

    this.addSql(
      'create table `api_token` (`id` integer not null primary key autoincrement, `user_id` integer not null, `name` text not null, `token_hash` text not null, `created_at` datetime not null, `expires_at` datetime null, `revoked_at` datetime null, constraint `api_token_user_id_foreign` foreign key(`user_id`) references `app_user`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create index `api_token_user_id_index` on `api_token` (`user_id`);');
    this.addSql('create unique index `api_token_token_hash_unique` on `api_token` (`token_hash`);');

    this.addSql(
      'create table `node` (`id` integer not null primary key autoincrement, `system_id` text not null, `hostname` text not null, `status` text not null, `architecture` text not null, `power_type` text not null, `power_parameters` json not null, `owner_id` integer null, `created_at` datetime not null, `updated_at` datetime not null, constraint `node_owner_id_foreign` foreign key(`owner_id`) references `app_user`(`id`) on delete set null on update cascade);',
    );
    this.addSql('create unique index `node_system_id_unique` on `node` (`system_id`);');
    this.addSql('create unique index `node_hostname_unique` on `node` (`hostname`);');
    this.addSql('create index `node_owner_id_index` on `node` (`owner_id`);');
    this.addSql('create index `node_status_id_index` on `node` (`status`, `id`);');

    this.addSql(
      'create table `mac_address` (`id` integer not null primary key autoincrement, `address` text not null, `node_id` integer not null, constraint `mac_address_node_id_foreign` foreign key(`node_id`) references `node`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create unique index `mac_address_address_unique` on `mac_address` (`address`);');
    this.addSql('create index `mac_address_node_id_index` on `mac_address` (`node_id`);');

    this.addSql(
      'create table `node_event` (`id` integer not null primary key autoincrement, `node_id` integer null, `system_id` text not null, `type` text not null, `from_status` text null, `to_status` text null, `actor` text not null, `created_at` datetime not null);',
    );
    this.addSql('create index `node_event_node_id_index` on `node_event` (`node_id`);');
  }
}
