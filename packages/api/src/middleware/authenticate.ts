import { UnauthenticatedError, type Session } from '@metalyard/domain';
import type { Context } from '../context.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** The token in the request's `Authorization: Bearer …` header, or a 401. */
export function bearerToken(ctx: Context): string {
  if (!ctx.authorization) throw new UnauthenticatedError();
  const match = BEARER.exec(ctx.authorization.trim());
  if (!match) throw new UnauthenticatedError('malformed Authorization header: expected "Bearer <token>"');
  return match[1]!;
}

/** The session the request's bearer token opens, or a 401. */
export async function authenticate(ctx: Context): Promise<Session> {
  const session = await ctx.app.auth.authenticate(bearerToken(ctx));
  if (!session) throw new UnauthenticatedError('invalid, expired or revoked token');
  return session;
}
