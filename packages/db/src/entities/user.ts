import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';
import type { Role } from '@metalyard/domain';

export const UserEntity = defineEntity({
  name: 'User',
  tableName: TABLES.user,
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    username: p.string().length(64).unique(),
    role: p.string().length(16).$type<Role>(),
    /** scrypt hash, when the user has a password at all. */
    passwordHash: p.string().length(255).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type UserRow = InferEntity<typeof UserEntity>;
