import { useEffect, useMemo, useState } from 'react';

export type LabelScreen = 'tags' | 'zones' | 'pools';
export const LABEL_SCREENS: readonly LabelScreen[] = ['tags', 'zones', 'pools'];

/**
 * The app's screens, kept in the URL's hash so that a reload or a shared link opens the same one.
 * Screens with filters keep them in the hash's query (`#/events?actor=alice`).
 */
export type Route =
  | { screen: 'overview'; query: URLSearchParams }
  | { screen: 'machine'; systemId: string }
  | { screen: 'events'; query: URLSearchParams }
  | { screen: 'labels'; kind: LabelScreen }
  | { screen: 'users' }
  | { screen: 'tokens' };

/** `base` with `query` appended (parameters with an empty value are left out). */
function withQuery(base: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

export const hrefs = {
  overview: '#/',
  machines: (query?: Record<string, string | undefined>) => withQuery('#/', query),
  machine: (systemId: string) => `#/machines/${encodeURIComponent(systemId)}`,
  events: (query?: Record<string, string | undefined>) => withQuery('#/events', query),
  labels: (kind: LabelScreen) => `#/${kind}`,
  users: '#/users',
  tokens: '#/tokens',
};

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const query = new URLSearchParams(search);
  const machine = /^\/machines\/([^/]+)$/.exec(path);
  if (machine) return { screen: 'machine', systemId: decodeURIComponent(machine[1]!) };
  const name = path.replace(/^\//, '');
  if (name === 'events') return { screen: 'events', query };
  if ((LABEL_SCREENS as readonly string[]).includes(name)) return { screen: 'labels', kind: name as LabelScreen };
  if (name === 'users' || name === 'tokens') return { screen: name };
  return { screen: 'overview', query };
}

const ROUTE_CHANGED = 'metalyard:route';

/**
 * Goes to `href`. With `replace`, the current history entry is changed instead of adding one
 * (for state that changes as one types, such as a search), so Back is not a step per key.
 */
export function navigate(href: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) {
    window.history.replaceState(window.history.state, '', href);
    window.dispatchEvent(new Event(ROUTE_CHANGED));
  } else {
    window.location.hash = href;
  }
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    window.addEventListener(ROUTE_CHANGED, onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener(ROUTE_CHANGED, onChange);
    };
  }, []);
  return useMemo(() => parseRoute(hash), [hash]);
}
