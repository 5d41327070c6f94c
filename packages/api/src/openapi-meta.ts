/**
 * What a procedure's `.meta()` may hold: its REST route in the OpenAPI document (served by
 * apps/server under /api/v1). The shape trpc-to-openapi reads, declared here so the router's
 * types, and so the SDK's, do not depend on that package.
 */
export type OpenApiMeta = {
  openapi?: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    /** Relative to /api, with `{param}` for path parameters: `/v1/nodes/{systemId}`. */
    path: `/${string}`;
    summary?: string;
    description?: string;
    tags?: string[];
    /** Whether the route needs `Authorization: Bearer <token>`. */
    protect?: boolean;
  };
};
