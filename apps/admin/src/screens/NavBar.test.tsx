import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { parseRoute } from '../route.js';
import { ADMIN, ALICE } from '../test/render.js';
import { NavBar, screenTitle } from './NavBar.js';

afterEach(cleanup);

const items = () => screen.getAllByRole('link').map((link) => link.textContent);

describe('NavBar', () => {
  it('shows an admin every screen and marks the current one', () => {
    render(<NavBar route={parseRoute('#/events?actor=alice')} viewer={ADMIN} />);
    expect(items()).toEqual(['Machines', 'Events', 'Tags', 'Zones', 'Pools', 'Users', 'API tokens']);
    expect(screen.getByRole('link', { name: 'Events' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Machines' }).getAttribute('aria-current')).toBeNull();
  });

  it('leaves the users screen out for a user, and counts a machine page as Machines', () => {
    render(<NavBar route={parseRoute('#/machines/k3v9qa')} viewer={ALICE} />);
    expect(items()).not.toContain('Users');
    expect(screen.getByRole('link', { name: 'Machines' }).getAttribute('aria-current')).toBe('page');
    expect(screenTitle(parseRoute('#/pools'))).toBe('Pools · Metalyard');
  });
});
