export * from './api-token.js';
export * from './label.js';
export * from './mac-address.js';
export * from './node.js';
export * from './node-event.js';
export * from './user.js';
import { ApiTokenEntity } from './api-token.js';
import { PoolEntity, TagEntity, ZoneEntity } from './label.js';
import { MacAddressEntity } from './mac-address.js';
import { NodeEntity } from './node.js';
import { NodeEventEntity } from './node-event.js';
import { UserEntity } from './user.js';

export const ENTITIES = [UserEntity, ApiTokenEntity, TagEntity, ZoneEntity, PoolEntity, NodeEntity, MacAddressEntity, NodeEventEntity];
