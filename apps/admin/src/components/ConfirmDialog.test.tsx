import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ConfirmDialog } from './ConfirmDialog.js';

afterEach(cleanup);

function renderDialog(props: Partial<Parameters<typeof ConfirmDialog>[0]> = {}) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  render(
    <ConfirmDialog open title="Accept rack1?" confirmLabel="Accept machine" onConfirm={onConfirm} onCancel={onCancel} {...props}>
      <p>It wipes its disks.</p>
    </ConfirmDialog>,
  );
  return { onConfirm, onCancel };
}

describe('ConfirmDialog', () => {
  it('is a dialog named by its title that says what will happen', () => {
    renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Accept rack1?' });
    expect(dialog.textContent).toContain('It wipes its disks.');
  });

  it('runs the action only when confirmed', () => {
    const { onConfirm, onCancel } = renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Accept machine' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('shows why the action failed and blocks a second click while it runs', () => {
    renderDialog({ busy: true, error: new Error('node k3v9qa is allocated') });
    expect(screen.getByRole('alert').textContent).toBe('node k3v9qa is allocated');
    expect((screen.getByRole('button', { name: 'Working…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
