export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './routers/_app.js';
export { createContext, type Context, type CreateContextOptions, type Services } from './context.js';
export { TRPC_CODE_BY_KIND, toTRPCError, type ErrorData, type FieldErrors } from './errors.js';
export { toNodeView } from './views.js';
