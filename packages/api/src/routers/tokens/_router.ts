import { router } from '../../trpc.js';
import { createToken } from './create.js';
import { listTokens } from './list.js';
import { revokeToken } from './revoke.js';

/** The caller's own API tokens: the secret is shown once, at creation; revoking stops it at once. */
export const tokensRouter = router({ list: listTokens, create: createToken, revoke: revokeToken });
