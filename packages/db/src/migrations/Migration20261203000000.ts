import { Migration } from '@mikro-orm/migrations';

/**
 * Partial indexes for the node columns that are null on most nodes (owner, zone, pool, status
 * deadline, machine token): a null has no index entry, so an enlistment's commit writes five index
 * pages fewer. Every query on these columns compares them (`=`, `in`, `<=`), which implies not null,
 * so the planner still uses the indexes.
 */
export class Migration20261203000000 extends Migration {
  override async up(): Promise<void> {
    for (const [name, column, unique] of PARTIAL_INDEXES) {
      this.addSql(`drop index \`${name}\`;`);
      this.addSql(`create ${unique ? 'unique ' : ''}index \`${name}\` on \`node\` (\`${column}\`) where ${column} is not null;`);
    }
  }
}

/** The indexes made partial: name, column, unique. */
export const PARTIAL_INDEXES: readonly (readonly [string, string, boolean])[] = [
  ['node_owner_id_index', 'owner_id', false],
  ['node_zone_id_index', 'zone_id', false],
  ['node_pool_id_index', 'pool_id', false],
  ['node_status_deadline_index', 'status_deadline', false],
  ['node_machine_token_hash_unique', 'machine_token_hash', true],
];
