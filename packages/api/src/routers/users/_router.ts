import { router } from '../../trpc.js';
import { createUser } from './create.js';
import { deleteUser } from './delete.js';
import { listUsers } from './list.js';
import { updateUser } from './update.js';

/** User administration (admins, by the ACCESS table). */
export const usersRouter = router({ list: listUsers, create: createUser, update: updateUser, delete: deleteUser });
