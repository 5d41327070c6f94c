import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { Node } from '@metalyard/sdk';
import { apiError, networkError } from '../../test/fake-client.js';
import { fakeNode } from '../../test/nodes.js';
import { ALICE, renderApp } from '../../test/render.js';
import { MachineDetail } from '../MachineDetail.js';
import { PowerPanel } from './PowerPanel.js';

afterEach(cleanup);

const webhook = (fields: Partial<Node> = {}) => fakeNode('rack-1', 'ready', { powerType: 'webhook', ...fields });
const powered = (node: Node, powerState: Node['powerState']) =>
  ({ ...node, powerState, powerStateCheckedAt: '2026-03-04T05:06:07Z' }) as Node;

const buttons = () =>
  within(screen.getByRole('group', { name: 'Power actions' }))
    .getAllByRole('button')
    .map((button) => button.textContent);

describe('PowerPanel', () => {
  it('shows the power state the BMC last reported, and when', () => {
    renderApp(<PowerPanel node={powered(webhook(), 'on')} />);
    const line = screen.getByLabelText('Power state');
    expect(line.textContent).toMatch(/^On as of /);
    expect(line.textContent).not.toContain('not asked yet');
    cleanup();
    renderApp(<PowerPanel node={webhook()} />);
    expect(screen.getByLabelText('Power state').textContent).toBe('Unknown not asked yet');
  });

  it('powers on through the SDK and says what the BMC reported', async () => {
    const node = webhook();
    const { inputsOf } = renderApp(<PowerPanel node={node} />, {
      handlers: { 'protected.nodes.powerOn': () => powered(node, 'on') },
    });
    expect(buttons()).toEqual(['Power on', 'Shut down', 'Power off', 'Power cycle', 'Check power']);
    fireEvent.click(screen.getByRole('button', { name: 'Power on' }));
    expect(await screen.findByText('The BMC powered it on.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('The BMC powered it on.');
    expect(inputsOf('protected.nodes.powerOn')).toEqual([{ systemId: node.systemId }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks before cutting the power, and sends nothing when cancelled', async () => {
    const node = powered(webhook(), 'on');
    const { calls, inputsOf } = renderApp(<PowerPanel node={node} />, {
      handlers: { 'protected.nodes.powerOff': () => powered(node, 'off') },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Power off' }));
    const dialog = screen.getByRole('dialog', { name: 'Power off rack-1?' });
    expect(dialog.textContent).toContain('whatever runs on it stops without shutting down');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Power off' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Power off rack-1?' })).getByRole('button', { name: 'Power off' }));
    expect(await screen.findByText('The BMC powered it off.')).toBeTruthy();
    expect(inputsOf('protected.nodes.powerOff')).toEqual([{ systemId: node.systemId }]);
  });

  it('shuts down softly (powerOff with soft) and cycles, each after asking', async () => {
    const node = powered(webhook(), 'on');
    const { inputsOf } = renderApp(<PowerPanel node={node} />, {
      handlers: {
        'protected.nodes.powerOff': () => node,
        'protected.nodes.powerCycle': () => node,
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Shut down' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Shut down rack-1?' })).getByRole('button', { name: 'Shut down' }));
    expect(await screen.findByText('The BMC asked the operating system to shut down; check power to see when it is off.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Power cycle' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Power cycle rack-1?' })).getByRole('button', { name: 'Power cycle' }));
    expect(await screen.findByText('The BMC power cycled it.')).toBeTruthy();
    expect(inputsOf('protected.nodes.powerOff')).toEqual([{ systemId: node.systemId, soft: true }]);
    expect(inputsOf('protected.nodes.powerCycle')).toEqual([{ systemId: node.systemId }]);
  });

  it('disables the buttons and says what it asked while the BMC answers', async () => {
    renderApp(<PowerPanel node={webhook()} />, { handlers: { 'protected.nodes.powerQuery': () => new Promise(() => {}) } });
    fireEvent.click(screen.getByRole('button', { name: 'Check power' }));
    expect(await screen.findByText('Asking the BMC for its power state…')).toBeTruthy();
    for (const button of within(screen.getByRole('group', { name: 'Power actions' })).getAllByRole('button')) {
      expect((button as HTMLButtonElement).disabled).toBe(true);
    }
  });

  it.each([
    [
      502,
      'power on failed for node n1: POST http://10.0.0.9/on to power on failed (HTTP 500)',
      'The BMC did not do it: power on failed for node n1: POST http://10.0.0.9/on to power on failed (HTTP 500)',
    ],
    [409, 'node n1 is retired: its BMC is not driven', 'node n1 is retired: its BMC is not driven'],
    [
      403,
      'only its owner (bob) or an admin may control its power',
      'Not allowed: only its owner (bob) or an admin may control its power. Ask an admin if you need to do this.',
    ],
    [
      404,
      "node 'n1' does not exist",
      "Not found: node 'n1' does not exist. It may have been deleted or renamed meanwhile; reload to see what exists now.",
    ],
    [401, 'the session has expired', 'Not signed in: the session has expired. Sign in again.'],
  ])('shows a %i from the power procedure as a readable message', async (status, message, shown) => {
    renderApp(<PowerPanel node={webhook()} />, {
      handlers: { 'protected.nodes.powerOn': () => Promise.reject(apiError(status, message)) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Power on' }));
    expect((await screen.findByRole('alert')).textContent).toBe(shown);
    expect(screen.getByRole('status').textContent).toBe('');
    // The buttons work again: the operator may try once more.
    expect((screen.getByRole('button', { name: 'Power on' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when the request never reached the server', async () => {
    renderApp(<PowerPanel node={webhook()} />, {
      handlers: { 'protected.nodes.powerQuery': () => Promise.reject(networkError()) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Check power' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Cannot reach the Metalyard server \(Failed to fetch\)/);
  });

  it('offers no buttons where the API would refuse, and says why', () => {
    const cases: [Node, typeof ALICE | undefined, string][] = [
      [fakeNode('by-hand', 'ready'), undefined, 'Manual power: Metalyard cannot reach a BMC, so it is turned on and off by hand.'],
      [webhook({ status: 'declared' }), undefined, 'Accept this machine before Metalyard drives its BMC.'],
      [webhook({ status: 'deployed', owner: 'bob' }), ALICE, 'Only its owner (bob) or an admin may drive this machine’s BMC.'],
      [webhook(), ALICE, 'Only an admin, or the user who acquired it, may drive this machine’s BMC.'],
    ];
    for (const [node, viewer, reason] of cases) {
      renderApp(<PowerPanel node={node} />, viewer ? { viewer } : {});
      expect(screen.getByLabelText('Power state').textContent).toBe(node.powerType === 'manual' ? 'Unknown' : 'Unknown not asked yet');
      expect(screen.queryByRole('group', { name: 'Power actions' }), reason).toBeNull();
      expect(screen.getByText(reason)).toBeTruthy();
      cleanup();
    }
    // Alice drives the machine she acquired.
    renderApp(<PowerPanel node={webhook({ status: 'deployed', owner: 'alice' })} />, { viewer: ALICE });
    expect(buttons()).toContain('Power on');
  });

  it('on the machine page, the new power state replaces the old one', async () => {
    const node = webhook();
    // The server: what powerQuery learns, get returns from then on.
    let current = node;
    renderApp(<MachineDetail systemId={node.systemId} />, {
      handlers: {
        'protected.nodes.get': () => current,
        'protected.events.list': () => ({ items: [], nextCursor: null }),
        'protected.nodes.powerQuery': () => (current = powered(node, 'off')),
      },
    });
    expect((await screen.findByLabelText('Power state')).textContent).toBe('Unknown not asked yet');
    fireEvent.click(screen.getByRole('button', { name: 'Check power' }));
    await screen.findByText('The BMC says it is off.');
    expect(screen.getByLabelText('Power state').textContent).toMatch(/^Off as of /);
  });
});
