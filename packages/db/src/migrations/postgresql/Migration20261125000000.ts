import { Migration } from '@mikro-orm/migrations';

/**
 * The PostgreSQL twin of ../Migration20261125000000.ts: the same schema, generated from the entities
 * by MikroORM's SchemaGenerator for the postgresql platform. It keeps the SQLite migration's name, so
 * both dialects report the same migration version; postgres.test.ts proves it matches the entities.
 */
export class Migration20261125000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "node_event" ("id" serial primary key, "node_id" int null, "system_id" varchar(16) not null, "type" varchar(32) not null, "from_status" varchar(32) null, "to_status" varchar(32) null, "actor" varchar(128) not null, "details" jsonb null, "created_at" timestamptz not null);',
    );
    this.addSql('create index "node_event_node_id_index" on "node_event" ("node_id");');
    this.addSql('create index "node_event_system_id_index" on "node_event" ("system_id");');
    this.addSql(
      'create table "pool" ("id" serial primary key, "name" varchar(64) not null, "description" text not null, "created_at" timestamptz not null);',
    );
    this.addSql('alter table "pool" add constraint "pool_name_unique" unique ("name");');
    this.addSql(
      'create table "tag" ("id" serial primary key, "name" varchar(64) not null, "description" text not null, "created_at" timestamptz not null);',
    );
    this.addSql('alter table "tag" add constraint "tag_name_unique" unique ("name");');
    this.addSql(
      'create table "app_user" ("id" serial primary key, "username" varchar(64) not null, "role" varchar(16) not null, "password_hash" varchar(255) null, "created_at" timestamptz not null);',
    );
    this.addSql('alter table "app_user" add constraint "app_user_username_unique" unique ("username");');
    this.addSql(
      'create table "api_token" ("id" serial primary key, "user_id" int not null, "name" varchar(128) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null);',
    );
    this.addSql('alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");');
    this.addSql(
      'create table "zone" ("id" serial primary key, "name" varchar(64) not null, "description" text not null, "created_at" timestamptz not null);',
    );
    this.addSql('alter table "zone" add constraint "zone_name_unique" unique ("name");');
    this.addSql(
      'create table "node" ("id" serial primary key, "system_id" varchar(16) not null, "hostname" varchar(253) not null, "status" varchar(32) not null, "architecture" varchar(32) not null, "power_type" varchar(32) not null, "power_parameters" jsonb not null, "owner_id" int null, "zone_id" int null, "pool_id" int null, "hardware" jsonb null, "cpu_count" int null, "memory_mb" int null, "annotations" jsonb not null, "status_message" text null, "status_deadline" timestamptz null, "machine_token_hash" varchar(64) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);',
    );
    this.addSql('alter table "node" add constraint "node_system_id_unique" unique ("system_id");');
    this.addSql('alter table "node" add constraint "node_hostname_unique" unique ("hostname");');
    this.addSql('create index "node_status_deadline_index" on "node" ("status_deadline");');
    this.addSql('alter table "node" add constraint "node_machine_token_hash_unique" unique ("machine_token_hash");');
    this.addSql('create index "node_status_id_index" on "node" ("status", "id");');
    this.addSql(
      'create table "node_tag" ("node_id" int not null, "tag_id" int not null, constraint "node_tag_pkey" primary key ("node_id", "tag_id"));',
    );
    this.addSql('create table "mac_address" ("id" serial primary key, "address" varchar(17) not null, "node_id" int not null);');
    this.addSql('alter table "mac_address" add constraint "mac_address_address_unique" unique ("address");');
    this.addSql('create index "mac_address_node_id_index" on "mac_address" ("node_id");');
    this.addSql(
      'alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "node" add constraint "node_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete set null;',
    );
    this.addSql(
      'alter table "node" add constraint "node_zone_id_foreign" foreign key ("zone_id") references "zone" ("id") on update cascade on delete set null;',
    );
    this.addSql(
      'alter table "node" add constraint "node_pool_id_foreign" foreign key ("pool_id") references "pool" ("id") on update cascade on delete set null;',
    );
    this.addSql(
      'alter table "node_tag" add constraint "node_tag_node_id_foreign" foreign key ("node_id") references "node" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "node_tag" add constraint "node_tag_tag_id_foreign" foreign key ("tag_id") references "tag" ("id") on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table "mac_address" add constraint "mac_address_node_id_foreign" foreign key ("node_id") references "node" ("id") on update cascade on delete cascade;',
    );
  }
}
