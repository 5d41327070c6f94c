import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { apiError } from '../test/fake-client.js';
import { DialogForm } from './DialogForm.js';
import { TextField } from './TextField.js';

afterEach(cleanup);

function renderForm(props: Partial<Parameters<typeof DialogForm>[0]> = {}) {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  render(
    <DialogForm submitLabel="Save" onSubmit={onSubmit} onCancel={onCancel} fields={['name']} {...props}>
      <TextField label="Name" value="x" onChange={() => {}} />
    </DialogForm>,
  );
  return { onSubmit, onCancel };
}

describe('DialogForm', () => {
  it('submits with Enter in a field, and cancels with its button', () => {
    const { onSubmit, onCancel } = renderForm();
    fireEvent.submit(screen.getByLabelText('Name').closest('form')!);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('does not submit while incomplete or busy', () => {
    const { onSubmit } = renderForm({ incomplete: true });
    fireEvent.submit(screen.getByLabelText('Name').closest('form')!);
    expect(onSubmit).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    renderForm({ busy: true, busyLabel: 'Saving…' });
    expect((screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says why the server refused, unless a field it names already says so', () => {
    renderForm({ error: apiError(409, "tag 'gpu' already exists") });
    expect(screen.getByRole('alert').textContent).toBe("tag 'gpu' already exists");
    cleanup();
    renderForm({ error: apiError(400, 'invalid input: name: too long', { name: ['too long'] }) });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
