import type { AuthStore, NodeStore } from '@metalyard/domain';

/** What the procedures need from the outside world: the stores, nothing of the ORM. */
export interface Services {
  nodes: NodeStore;
  auth: AuthStore;
}

export interface Context {
  services: Services;
  /** The raw Authorization header, checked only by procedures that need a user. */
  authorization: string | null;
  /** The caller's address, recorded on anonymous events. */
  remoteAddress: string;
}

export interface CreateContextOptions {
  services: Services;
  authorization?: string | null | undefined;
  remoteAddress?: string | undefined;
}

export function createContext(options: CreateContextOptions): Context {
  return {
    services: options.services,
    authorization: options.authorization ?? null,
    remoteAddress: options.remoteAddress ?? 'unknown',
  };
}
