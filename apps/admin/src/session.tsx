import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const SESSION_KEY = 'metalyard.session';

/**
 * `session`: a 12-hour token from signing in with a password, revoked on sign-out.
 * `api-token`: a long-lived API token pasted in; signing out only forgets it, since revoking it
 * would break every other place that uses it.
 */
export type TokenKind = 'session' | 'api-token';

export interface StoredSession {
  token: string;
  kind: TokenKind;
}

export interface Session {
  /** The token of the signed-in user, or null when signed out. */
  token: string | null;
  kind: TokenKind | null;
  /** Why the user was signed out (e.g. the token was refused), shown on the sign-in screen. */
  notice: string | null;
  signIn(token: string, kind: TokenKind): void;
  signOut(notice?: string): void;
}

const SessionContext = createContext<Session | null>(null);

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const { token, kind } = value as Record<string, unknown>;
  return typeof token === 'string' && (kind === 'session' || kind === 'api-token');
}

function loadSession(): StoredSession | null {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(SESSION_KEY) ?? 'null');
    return isStoredSession(parsed) ? parsed : null;
  } catch {
    return null; // storage disabled or unreadable: the session lasts as long as the page
  }
}

function storeSession(session: StoredSession | null): void {
  try {
    if (session === null) window.localStorage.removeItem(SESSION_KEY);
    else window.localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // storage disabled: nothing to keep
  }
}

/** Keeps the token in localStorage so that a reload keeps the session. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const signIn = useCallback((token: string, kind: TokenKind) => {
    const next = { token, kind };
    storeSession(next);
    setNotice(null);
    setStored(next);
  }, []);
  const signOut = useCallback((reason?: string) => {
    storeSession(null);
    setNotice(reason ?? null);
    setStored(null);
  }, []);
  const session = useMemo(
    () => ({ token: stored?.token ?? null, kind: stored?.kind ?? null, notice, signIn, signOut }),
    [stored, notice, signIn, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
