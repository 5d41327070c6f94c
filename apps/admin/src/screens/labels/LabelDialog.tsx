import { useState } from 'react';
import { fieldErrorsOf } from '../../api/errors.js';
import { LABEL_WORDS, useCreateLabel, useUpdateLabel, type Label, type LabelKind, type LabelUpdate } from '../../api/labels.js';
import { DialogForm } from '../../components/DialogForm.js';
import { messagesFor } from '../../components/FieldError.js';
import { Modal } from '../../components/Modal.js';
import { TextField } from '../../components/TextField.js';

interface LabelDialogProps {
  kind: LabelKind;
  /** The one to rename or describe; null to create one. */
  label: Label | null;
  open: boolean;
  onClose(): void;
  /** Called with what was done, in words. */
  onDone(message: string): void;
}

/** Creates a tag, zone or pool, or renames and describes one (its machines follow a rename). */
export function LabelDialog({ kind, label, open, onClose, onDone }: LabelDialogProps) {
  const words = LABEL_WORDS[kind];
  return (
    <Modal open={open} title={label ? `Edit ${words.one} ${label.name}` : `Add ${words.one}`} onClose={onClose}>
      <LabelForm kind={kind} label={label} onCancel={onClose} onDone={onDone} />
    </Modal>
  );
}

/** The update for `label`: the new name and description only when they changed. */
export function labelChanges(label: Label, name: string, description: string): LabelUpdate {
  return {
    name: label.name,
    ...(name !== label.name ? { newName: name } : {}),
    ...(description !== label.description ? { description } : {}),
  };
}

function LabelForm({ kind, label, onCancel, onDone }: Omit<LabelDialogProps, 'open' | 'onClose'> & { onCancel(): void }) {
  const words = LABEL_WORDS[kind];
  const create = useCreateLabel(kind);
  const update = useUpdateLabel(kind);
  const [name, setName] = useState(label?.name ?? '');
  const [description, setDescription] = useState(label?.description ?? '');
  const running = label ? update : create;
  const fields = fieldErrorsOf(running.error);

  function submit() {
    const trimmed = name.trim();
    if (!label) {
      create.mutate({ name: trimmed, description: description.trim() }, { onSuccess: () => onDone(`Added ${words.one} ${trimmed}.`) });
      return;
    }
    const changes = labelChanges(label, trimmed, description.trim());
    if (Object.keys(changes).length === 1) return onCancel();
    update.mutate(changes, {
      onSuccess: () =>
        onDone(changes.newName ? `Renamed ${words.one} ${label.name} to ${changes.newName}.` : `Saved ${words.one} ${label.name}.`),
    });
  }

  return (
    <DialogForm
      submitLabel={label ? 'Save' : `Add ${words.one}`}
      busyLabel="Saving…"
      busy={running.isPending}
      incomplete={!name.trim()}
      error={running.error}
      fields={['name', 'newName', 'description']}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        autoFocus
        required
        errors={[...messagesFor(fields, 'name'), ...messagesFor(fields, 'newName')]}
        hint={
          label && label.nodeCount > 0
            ? `Renaming keeps it on its ${label.nodeCount === 1 ? 'machine' : `${label.nodeCount} machines`}.`
            : 'Letters, digits, _ . - (up to 64).'
        }
      />
      <TextField
        label="Description (optional)"
        value={description}
        onChange={setDescription}
        multiline
        maxLength={1000}
        errors={messagesFor(fields, 'description')}
      />
    </DialogForm>
  );
}
