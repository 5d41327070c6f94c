import type { Viewer } from '../api/viewer.js';
import { hrefs, type Route } from '../route.js';

interface NavItem {
  label: string;
  href: string;
  /** Whether the item is the current screen. */
  current(route: Route): boolean;
  adminOnly?: boolean;
}

const ITEMS: NavItem[] = [
  { label: 'Machines', href: hrefs.overview, current: (route) => route.screen === 'overview' || route.screen === 'machine' },
  { label: 'Events', href: hrefs.events(), current: (route) => route.screen === 'events' },
  { label: 'Tags', href: hrefs.labels('tags'), current: (route) => route.screen === 'labels' && route.kind === 'tags' },
  { label: 'Zones', href: hrefs.labels('zones'), current: (route) => route.screen === 'labels' && route.kind === 'zones' },
  { label: 'Pools', href: hrefs.labels('pools'), current: (route) => route.screen === 'labels' && route.kind === 'pools' },
  { label: 'Users', href: hrefs.users, current: (route) => route.screen === 'users', adminOnly: true },
  { label: 'API tokens', href: hrefs.tokens, current: (route) => route.screen === 'tokens' },
];

/** The app's screens; the current one is marked for screen readers as well as drawn. */
export function NavBar({ route, viewer }: { route: Route; viewer: Viewer }) {
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {ITEMS.filter((item) => !item.adminOnly || viewer.role === 'admin').map((item) => (
          <li key={item.label}>
            <a href={item.href} aria-current={item.current(route) ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The window's title for a screen. */
export function screenTitle(route: Route): string {
  const item = ITEMS.find((each) => each.current(route));
  return item ? `${item.label} · Metalyard` : 'Metalyard';
}
