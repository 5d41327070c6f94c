/** Column values as the drivers return them from plain SQL, turned into what the entities would hold. */

/** JSON columns: text on SQLite, already parsed on PostgreSQL. */
export function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Datetime columns: milliseconds since the epoch on SQLite, a Date on PostgreSQL. */
export function dateValue(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as number | string));
}
