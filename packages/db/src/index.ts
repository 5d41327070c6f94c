export * from './entities/index.js';
export { MIGRATIONS } from './migrations/index.js';
export { openDatabase, sqliteLocation, DEFAULT_DATABASE_URL, type Database, type DatabaseOptions } from './database.js';
export { SqlAuthStore, generateToken, hashToken, TOKEN_PREFIX } from './auth-store.js';
export { SqlNodeStore, encodeCursor, decodeCursor } from './node-store.js';
