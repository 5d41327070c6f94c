import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, networkError } from '../../test/fake-client.js';
import { ALICE, renderApp } from '../../test/render.js';
import { labelChanges } from './LabelDialog.js';
import { LabelsScreen } from './LabelsScreen.js';

afterEach(cleanup);

const zones = [
  { name: 'dc1', description: 'Main hall', nodeCount: 3 },
  { name: 'dc2', description: '', nodeCount: 1 },
];

describe('LabelsScreen', () => {
  it('lists each zone with its machine count, linking to the machines in it', async () => {
    renderApp(<LabelsScreen kind="zones" />, { handlers: { 'protected.zones.list': () => zones } });
    const link = await screen.findByRole('link', { name: '3 machines with zone dc1' });
    expect(link.getAttribute('href')).toBe('#/?zone=dc1');
    expect(screen.getByRole('link', { name: '1 machine with zone dc2' }).textContent).toBe('1 machine');
    expect(screen.getByRole('button', { name: 'Delete zone dc1' })).toBeTruthy();
  });

  it('offers a user nothing to change, and says who may', async () => {
    renderApp(<LabelsScreen kind="zones" />, { handlers: { 'protected.zones.list': () => zones }, viewer: ALICE });
    await screen.findByText('Main hall');
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByText(/Only admins create, rename and delete zones/)).toBeTruthy();
  });

  it("shows the server's field error under the name, then adds the tag", async () => {
    let tags: typeof zones = [];
    const { inputsOf } = renderApp(<LabelsScreen kind="tags" />, {
      handlers: {
        'protected.tags.list': () => tags,
        'protected.tags.create': (input) => {
          const { name } = input as { name: string };
          if (name.includes(' ')) throw apiError(400, 'invalid input: name: must be 1-64 letters', { name: ['must be 1-64 letters'] });
          tags = [{ name, description: '', nodeCount: 0 }];
          return tags[0];
        },
      },
    });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add tag' }))[0]!);
    const dialog = screen.getByRole('dialog', { name: 'Add tag' });
    const name = within(dialog).getByLabelText('Name');
    fireEvent.change(name, { target: { value: 'bad name' } });
    fireEvent.submit(name.closest('form')!);
    expect((await within(dialog).findByRole('alert')).textContent).toBe('must be 1-64 letters');
    expect(name.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(name, { target: { value: 'gpu' } });
    fireEvent.submit(name.closest('form')!);
    expect(await screen.findByText('Added tag gpu.', { selector: '.success-note' })).toBeTruthy();
    expect(inputsOf('protected.tags.create')).toEqual([
      { name: 'bad name', description: '' },
      { name: 'gpu', description: '' },
    ]);
    await screen.findByRole('link', { name: '0 machines with tag gpu' });
  });

  it('says in words why a delete was refused, in the dialog', async () => {
    renderApp(<LabelsScreen kind="zones" />, {
      handlers: {
        'protected.zones.list': () => zones,
        'protected.zones.delete': () => Promise.reject(apiError(404, "zone 'dc2' not found")),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete zone dc2' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete zone dc2?' });
    expect(dialog.textContent).toContain('1 machine has it. Its machines stay as they are, in no zone.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete zone' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^Not found: zone 'dc2' not found\. It may have been deleted/);
  });

  it('says when the server cannot be reached', async () => {
    renderApp(<LabelsScreen kind="pools" />, { handlers: { 'protected.pools.list': () => Promise.reject(networkError()) } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^Cannot reach the Metalyard server/));
    expect(screen.queryByText('No pools yet')).toBeNull();
  });
});

describe('labelChanges', () => {
  it('sends a new name and description only when they changed', () => {
    const label = { name: 'dc1', description: 'Main hall', nodeCount: 3 };
    expect(labelChanges(label, 'dc1', 'Main hall')).toEqual({ name: 'dc1' });
    expect(labelChanges(label, 'hall-a', 'Main hall')).toEqual({ name: 'dc1', newName: 'hall-a' });
    expect(labelChanges(label, 'dc1', '')).toEqual({ name: 'dc1', description: '' });
  });
});
