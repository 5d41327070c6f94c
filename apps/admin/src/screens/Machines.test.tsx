import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { Node } from '@metalyard/sdk';
import { apiError } from '../test/fake-client.js';
import { fakeNode } from '../test/nodes.js';
import { renderApp } from '../test/render.js';
import { Machines } from './Machines.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

const node = fakeNode;

const nodes = [node('rack-c', 'allocated', { owner: 'bob' }), node('rack-a', 'ready'), node('rack-b', 'deployed', { owner: 'bob' })];
const page = (items: Node[], nextCursor: string | null = null) => ({
  items,
  nextCursor,
  counts: { ready: 1, allocated: 1, deployed: 1, broken: 2 },
});
const labels = {
  'protected.zones.list': () => [{ name: 'dc1', description: '', nodeCount: 4 }],
  'protected.pools.list': () => [],
  'protected.tags.list': () => [],
};

const hostnames = () => screen.getAllByRole('rowheader').map((cell) => cell.querySelector('a')!.textContent);

describe('Machines', () => {
  it("asks the server for the link's filters and sorts the loaded page, saying that it is only that page", async () => {
    const { inputsOf } = renderApp(<Machines query={new URLSearchParams('zone=dc1&tag=gpu&sort=hostname')} />, {
      handlers: { ...labels, 'protected.nodes.list': () => page(nodes, 'next') },
    });
    await screen.findByRole('table');
    expect(inputsOf('protected.nodes.list')).toEqual([{ limit: 50, cursor: null, zone: 'dc1', tag: 'gpu' }]);
    expect(hostnames()).toEqual(['rack-a', 'rack-b', 'rack-c']);
    expect(screen.getByRole('columnheader', { name: 'Machine' }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('note').textContent).toMatch(/^Sorted by machine within the 3 machines loaded so far/);
    expect(screen.getByText('3 of 5 machines shown, more to load')).toBeTruthy();
    expect(await screen.findByRole('option', { name: 'dc1 (4)' })).toBeTruthy();
  });

  it('shows each machine’s power state in a column that sorts on before off, unknown last', async () => {
    const power = [
      node('pow-a', 'ready', { powerType: 'ipmi', powerState: 'off' }),
      node('pow-b', 'ready'),
      node('pow-c', 'deployed', { powerType: 'redfish', powerState: 'on', owner: 'bob' }),
    ];
    renderApp(<Machines query={new URLSearchParams('sort=powerState')} />, {
      handlers: { ...labels, 'protected.nodes.list': () => page(power) },
    });
    await screen.findByRole('table');
    const header = screen.getByRole('columnheader', { name: 'Power' });
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(hostnames()).toEqual(['pow-c', 'pow-a', 'pow-b']);
    const cells = screen.getAllByRole('cell').filter((cell) => cell.getAttribute('data-label') === 'Power');
    expect(cells.map((cell) => cell.textContent)).toEqual(['On', 'Off', 'Unknown']);
    fireEvent.click(within(header).getByRole('button'));
    expect(window.location.hash).toBe('#/?sort=-powerState');
  });

  it('puts a new sort in the URL, a second click on the column reversing it', async () => {
    renderApp(<Machines query={new URLSearchParams('sort=hostname')} />, {
      handlers: { ...labels, 'protected.nodes.list': () => page(nodes) },
    });
    await screen.findByRole('table');
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.click(within(screen.getByRole('columnheader', { name: 'Machine' })).getByRole('button'));
    expect(window.location.hash).toBe('#/?sort=-hostname');
    fireEvent.click(within(screen.getByRole('columnheader', { name: 'Owner' })).getByRole('button'));
    expect(window.location.hash).toBe('#/?sort=owner');
  });

  it('offers on a selection the actions the transition table allows, and runs one on the machines it applies to', async () => {
    const { inputsOf } = renderApp(<Machines query={new URLSearchParams()} />, {
      handlers: {
        ...labels,
        'protected.nodes.list': () => page(nodes),
        'protected.nodes.release': (input) => ({ ...nodes[0], status: 'ready', ...(input as object) }),
      },
    });
    await screen.findByRole('table');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown machines' }));
    const bar = screen.getByRole('region', { name: 'Selected machines' });
    expect(
      within(bar)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Commission (1)', 'Mark broken (3)', 'Release (2)', 'Delete (1)', 'Zone, pool, tags… (3)', 'Clear selection']);
    fireEvent.click(within(bar).getByRole('button', { name: 'Release (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Release 2 machines?' });
    expect(dialog.textContent).toContain('Disks: erased.');
    expect(dialog.textContent).toContain('Left as they are (1): rack-a (Ready).');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Release 2 machines' }));
    expect((await screen.findByText('Release: 2 machines done.')).getAttribute('role')).toBe('status');
    expect(inputsOf('protected.nodes.release').map((input) => (input as { systemId: string }).systemId)).toEqual([
      nodes[0]!.systemId,
      nodes[2]!.systemId,
    ]);
  });

  it('asks for the comment before marking broken, and keeps the dialog with each refusal when all were refused', async () => {
    renderApp(<Machines query={new URLSearchParams()} />, {
      handlers: {
        ...labels,
        'protected.nodes.list': () => page(nodes),
        'protected.nodes.markBroken': () => Promise.reject(apiError(403, 'only its owner (bob) or an admin may markBroken')),
      },
    });
    await screen.findByRole('table');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select rack-a' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mark broken (1)' }));
    const dialog = screen.getByRole('dialog', { name: 'Mark broken 1 machine?' });
    const submit = within(dialog).getByRole('button', { name: 'Mark broken 1 machine' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Why? (required)'), { target: { value: 'PSU' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    const refused = await within(dialog).findByRole('alert');
    expect(refused.textContent).toBe(
      'rack-a: Not allowed: only its owner (bob) or an admin may markBroken. Ask an admin if you need to do this.',
    );
  });

  it('gives a zone and a tag to the selected machines, updating only those that change', async () => {
    const tagged = [node('rack-a', 'ready', { zone: 'dc1', tags: ['gpu'] }), node('rack-b', 'ready')];
    const { inputsOf } = renderApp(<Machines query={new URLSearchParams()} />, {
      handlers: {
        ...labels,
        'protected.tags.list': () => [{ name: 'gpu', description: '', nodeCount: 1 }],
        'protected.nodes.list': () => page(tagged),
        'protected.nodes.update': (input) => ({ ...tagged[1], ...(input as object) }),
      },
    });
    await screen.findByRole('table');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown machines' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zone, pool, tags… (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Zone, pool and tags of 2 machines' });
    await within(dialog).findByRole('option', { name: 'dc1' });
    fireEvent.change(within(dialog).getByLabelText('Zone'), { target: { value: 'dc1' } });
    fireEvent.click(within(within(dialog).getByRole('group', { name: 'Add tags' })).getByLabelText('gpu'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Update 1 machine' }));
    await screen.findByText('Update: 1 machine done.');
    expect(inputsOf('protected.nodes.update')).toEqual([{ systemId: tagged[1]!.systemId, tags: ['gpu'], zone: 'dc1' }]);
  });
});
