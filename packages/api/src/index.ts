export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './routers/_app.js';
export { createContext, requestFacts, type Context, type CreateContextOptions, type RequestFacts } from './context.js';
export { ACCESS, accessOf, type Access, type ProcedurePath } from './access.js';
export {
  DOMAIN_ERRORS,
  TRANSPORT_ERRORS,
  TRPC_CODE_BY_KIND,
  errorHeaders,
  errorsOf,
  setAmbientRequestId,
  toTRPCError,
  type ErrorData,
  type ErrorSpec,
  type FieldErrors,
  type ProcedureFacts,
} from './errors.js';
export { RateLimiter, type RateLimiterOptions } from './middleware/rate-limiter.js';
export * from './wire/index.js';
export type { OpenApiMeta } from './openapi-meta.js';
