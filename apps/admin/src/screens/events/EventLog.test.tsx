import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { apiError } from '../../test/fake-client.js';
import { renderApp } from '../../test/render.js';
import { EventLog } from './EventLog.js';

afterEach(cleanup);

const event = {
  id: 7,
  systemId: 'k3v9qa',
  type: 'markBroken',
  fromStatus: 'ready',
  toStatus: 'broken',
  actor: 'alice',
  details: { comment: 'fan failure' },
  createdAt: '2026-01-10T12:00:00Z',
};

const node = { systemId: 'k3v9qa', hostname: 'rack1-n2' };

describe('EventLog', () => {
  it("asks the API for the link's filters and shows each event with its machine's hostname", async () => {
    const { inputsOf } = renderApp(<EventLog query={new URLSearchParams('machine=k3v9qa&actor=alice&type=markBroken&since=all')} />, {
      handlers: { 'protected.events.list': () => ({ items: [event], nextCursor: null }), 'protected.nodes.get': () => node },
    });
    const table = await screen.findByRole('table', { name: 'Events, oldest first' });
    await within(table).findByRole('link', { name: 'rack1-n2' });
    expect(table.textContent).toContain('fan failure');
    expect(inputsOf('protected.events.list')).toEqual([
      { limit: 100, cursor: null, systemId: 'k3v9qa', actor: 'alice', type: 'markBroken' },
    ]);
    expect((screen.getByLabelText('Type') as HTMLSelectElement).value).toBe('markBroken');
    expect((screen.getByLabelText('Machine (system ID)') as HTMLInputElement).value).toBe('k3v9qa');
  });

  it('looks back 24 hours by default, and offers any time when nothing happened', async () => {
    const { inputsOf } = renderApp(<EventLog query={new URLSearchParams()} />, {
      handlers: { 'protected.events.list': () => ({ items: [], nextCursor: null }) },
    });
    await screen.findByText('No events in the last 24 hours');
    expect(screen.getByRole('button', { name: 'Show any time' })).toBeTruthy();
    const { since } = inputsOf('protected.events.list')[0] as { since: string };
    expect(Math.abs(Date.now() - 86_400_000 - Date.parse(since))).toBeLessThan(60_000);
  });

  it("puts the server's refusal of a filter under that filter", async () => {
    renderApp(<EventLog query={new URLSearchParams('machine=nope')} />, {
      handlers: {
        'protected.events.list': () =>
          Promise.reject(apiError(400, 'invalid input: systemId: must be a system id', { systemId: ['must be a system id'] })),
      },
    });
    const field = screen.getByLabelText('Machine (system ID)');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByRole('alert').textContent).toBe('must be a system id');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says the server failed on a 500, without pretending the log is empty', async () => {
    renderApp(<EventLog query={new URLSearchParams()} />, {
      handlers: { 'protected.events.list': () => Promise.reject(apiError(500, 'internal server error')) },
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^The server failed \(500\): Internal server error\./);
    expect(screen.queryByText(/No events/)).toBeNull();
  });
});
