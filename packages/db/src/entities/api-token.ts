import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';
import { UserEntity } from './user.js';

/** A bearer token. Only the SHA-256 of the secret is stored. */
export const ApiTokenEntity = defineEntity({
  name: 'ApiToken',
  tableName: TABLES.apiToken,
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade').updateRule('cascade'),
    name: p.string().length(128),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type ApiTokenRow = InferEntity<typeof ApiTokenEntity>;
