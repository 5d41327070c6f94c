import Sqlite from 'better-sqlite3';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `value` as `length` base32 digits (the system id alphabet). */
function base32(value: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text = BASE32[value % 32]! + text;
    value = Math.floor(value / 32);
  }
  return text;
}

/** A MAC address in colon form, unique per (prefix, index). */
export function benchMac(prefix: number, index: number): string {
  return [prefix, ...[32, 24, 16, 8, 0].map((shift) => Math.floor(index / 2 ** shift) % 256)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join(':');
}

/**
 * Grows the `node` table of a stopped server's SQLite file to `total` rows by cloning its first
 * node, each clone with its own system id, hostname and one MAC address. Copying every other
 * column from a node the server wrote itself keeps the rows valid whatever the schema adds; it
 * works on Metalyard's schema and the baseline's alike (both have node and mac_address tables).
 */
export function seedNodes(databasePath: string, total: number): void {
  const db = new Sqlite(databasePath);
  try {
    const columns = (db.prepare("select name from pragma_table_info('node')").pluck().all() as string[]).filter(
      (name) => !['id', 'system_id', 'hostname'].includes(name),
    );
    const copied = columns.map((name) => `"${name}"`).join(', ');
    const template = db.prepare('select id, system_id as systemId from node order by id limit 1').get() as
      { id: number; systemId: string } | undefined;
    if (!template) throw new Error(`${databasePath} has no node to clone`);
    // Seeded system ids start with a letter the template's does not, so none can collide with it.
    const lead = template.systemId.startsWith('7') ? '6' : '7';
    const clone = db.prepare(`insert into node (system_id, hostname, ${copied}) select ?, ?, ${copied} from node where id = ?`);
    const mac = db.prepare('insert into mac_address (address, node_id) values (?, ?)');
    const present = db.prepare('select count(*) from node').pluck().get() as number;
    db.transaction(() => {
      for (let index = present; index < total; index++) {
        const { lastInsertRowid } = clone.run(lead + base32(index, 5), `seeded-${index}`, template.id);
        mac.run(benchMac(0xbe, index), lastInsertRowid);
      }
    })();
  } finally {
    db.close();
  }
}

/** The system ids stored in a server's SQLite file, read without writing. */
export function storedSystemIds(databasePath: string): Set<string> {
  const db = new Sqlite(databasePath, { readonly: true });
  try {
    return new Set(db.prepare('select system_id from node').pluck().all() as string[]);
  } finally {
    db.close();
  }
}
