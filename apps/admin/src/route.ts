import { useEffect, useState } from 'react';

/** The app's screens, kept in the URL's hash so that a reload or a shared link opens the same one. */
export type Route = { screen: 'overview' } | { screen: 'machine'; systemId: string };

export const hrefs = {
  overview: '#/',
  machine: (systemId: string) => `#/machines/${encodeURIComponent(systemId)}`,
};

export function parseRoute(hash: string): Route {
  const machine = /^#\/machines\/([^/]+)$/.exec(hash);
  if (machine) return { screen: 'machine', systemId: decodeURIComponent(machine[1]!) };
  return { screen: 'overview' };
}

export function navigate(href: string): void {
  window.location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
