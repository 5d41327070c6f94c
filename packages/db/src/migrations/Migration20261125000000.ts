import { Migration } from '@mikro-orm/migrations';

/**
 * The schema: users and their API tokens; tags, zones and pools; nodes with their MACs, tags,
 * hardware and per-node token; and node events. Generated from the entities for SQLite; the
 * schema test proves the two agree.
 */
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
      'create table `tag` (`id` integer not null primary key autoincrement, `name` text not null, `description` text not null, `created_at` datetime not null);',
    );
    this.addSql('create unique index `tag_name_unique` on `tag` (`name`);');
    this.addSql(
      'create table `zone` (`id` integer not null primary key autoincrement, `name` text not null, `description` text not null, `created_at` datetime not null);',
    );
    this.addSql('create unique index `zone_name_unique` on `zone` (`name`);');
    this.addSql(
      'create table `pool` (`id` integer not null primary key autoincrement, `name` text not null, `description` text not null, `created_at` datetime not null);',
    );
    this.addSql('create unique index `pool_name_unique` on `pool` (`name`);');
    this.addSql(
      'create table `node` (`id` integer not null primary key autoincrement, `system_id` text not null, `hostname` text not null, `status` text not null, `architecture` text not null, `power_type` text not null, `power_parameters` json not null, `owner_id` integer null, `zone_id` integer null, `pool_id` integer null, `hardware` json null, `cpu_count` integer null, `memory_mb` integer null, `annotations` json not null, `status_message` text null, `status_deadline` datetime null, `machine_token_hash` text null, `created_at` datetime not null, `updated_at` datetime not null, constraint `node_owner_id_foreign` foreign key(`owner_id`) references `app_user`(`id`) on delete set null on update cascade, constraint `node_zone_id_foreign` foreign key(`zone_id`) references `zone`(`id`) on delete set null on update cascade, constraint `node_pool_id_foreign` foreign key(`pool_id`) references `pool`(`id`) on delete set null on update cascade);',
    );
    this.addSql('create unique index `node_system_id_unique` on `node` (`system_id`);');
    this.addSql('create unique index `node_hostname_unique` on `node` (`hostname`);');
    this.addSql('create index `node_owner_id_index` on `node` (`owner_id`);');
    this.addSql('create index `node_zone_id_index` on `node` (`zone_id`);');
    this.addSql('create index `node_pool_id_index` on `node` (`pool_id`);');
    this.addSql('create index `node_status_deadline_index` on `node` (`status_deadline`);');
    this.addSql('create unique index `node_machine_token_hash_unique` on `node` (`machine_token_hash`);');
    this.addSql('create index `node_status_id_index` on `node` (`status`, `id`);');
    this.addSql(
      'create table `node_tag` (`node_id` integer not null, `tag_id` integer not null, constraint `node_tag_node_id_foreign` foreign key(`node_id`) references `node`(`id`) on delete cascade on update cascade, constraint `node_tag_tag_id_foreign` foreign key(`tag_id`) references `tag`(`id`) on delete cascade on update cascade, primary key (`node_id`, `tag_id`));',
    );
    this.addSql('create index `node_tag_node_id_index` on `node_tag` (`node_id`);');
    this.addSql('create index `node_tag_tag_id_index` on `node_tag` (`tag_id`);');
    this.addSql(
      'create table `mac_address` (`id` integer not null primary key autoincrement, `address` text not null, `node_id` integer not null, constraint `mac_address_node_id_foreign` foreign key(`node_id`) references `node`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create unique index `mac_address_address_unique` on `mac_address` (`address`);');
    this.addSql('create index `mac_address_node_id_index` on `mac_address` (`node_id`);');
    this.addSql(
      'create table `node_event` (`id` integer not null primary key autoincrement, `node_id` integer null, `system_id` text not null, `type` text not null, `from_status` text null, `to_status` text null, `actor` text not null, `details` json null, `created_at` datetime not null);',
    );
    this.addSql('create index `node_event_node_id_index` on `node_event` (`node_id`);');
    this.addSql('create index `node_event_system_id_index` on `node_event` (`system_id`);');
  }
}
