export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './routers/_app.js';
export { createContext, type Context, type CreateContextOptions, type Services } from './context.js';
export { ACCESS, accessOf, type Access, type ProcedurePath } from './access.js';
export { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
export { TRPC_CODE_BY_KIND, toTRPCError, type ErrorData, type FieldErrors } from './errors.js';
export { toEventView, toNodeView } from './views.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export type { OpenApiMeta } from './openapi-meta.js';
