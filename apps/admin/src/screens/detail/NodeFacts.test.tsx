import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { renderApp } from '../../test/render.js';
import { HardwareFacts } from './NodeFacts.js';

afterEach(cleanup);

describe('HardwareFacts', () => {
  it('shows what commissioning found: the CPU model, each disk with its model and serial, each NIC with its link', () => {
    renderApp(
      <HardwareFacts
        hardware={{
          cpuCount: 2,
          cpuModel: 'QEMU Virtual CPU version 2.5+',
          memoryMb: 469,
          storage: [{ name: 'vda', sizeGb: 0.13, sizeBytes: 134217728, model: 'VIRTIO DISK', serial: 'LAB0DISK' }],
          nics: [{ name: 'eth0', mac: '52:54:00:77:00:01', link: 'up' }],
        }}
      />,
    );
    const section = screen.getByRole('region', { name: 'Hardware' });
    expect(section.textContent).toContain('2 · QEMU Virtual CPU version 2.5+');
    expect(section.textContent).toContain('VIRTIO DISK · serial LAB0DISK');
    expect(section.textContent).toContain('52:54:00:77:00:01 · link up');
  });

  it('says nothing is known before commissioning', () => {
    renderApp(<HardwareFacts hardware={null} />);
    expect(screen.getByRole('region', { name: 'Hardware' }).textContent).toContain('Not known yet');
  });
});
