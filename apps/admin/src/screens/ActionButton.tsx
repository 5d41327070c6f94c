import { useState, type FormEvent } from 'react';
import type { Node } from '@metalyard/sdk';
import { useClient } from '../api/client.js';
import { useNodeMutation } from '../api/nodes.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Modal } from '../components/Modal.js';
import { destination, type ActionInput, type ActionOutcome, type NodeActionView } from '../lifecycle.js';

interface ActionButtonProps {
  node: Node;
  action: NodeActionView;
  onDone(outcome: ActionOutcome): void;
}

/**
 * One lifecycle action of a node. Actions that cannot be undone, or that take a comment, ask first
 * in a dialog; a refusal (e.g. a 409) is shown next to the button, or in the dialog, in the server's words.
 */
export function ActionButton({ node, action, onDone }: ActionButtonProps) {
  const client = useClient();
  const mutation = useNodeMutation((input: ActionInput) => action.run(client, node, input));
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const errorId = `action-${action.action}-error`;
  const asks = Boolean(action.confirm || action.comment);

  function run(input: ActionInput) {
    mutation.mutate(input, {
      onSuccess: (outcome) => {
        setAsking(false);
        onDone(outcome);
      },
    });
  }

  function start() {
    mutation.reset();
    if (asks) {
      setComment('');
      setAsking(true);
    } else run({});
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    run(comment.trim() ? { comment: comment.trim() } : {});
  }

  const missingComment = action.comment === 'required' && !comment.trim();
  return (
    <div className="action">
      <button
        type="button"
        className={`button${action.danger ? ' button-danger-outline' : ''}`}
        onClick={start}
        disabled={mutation.isPending}
        aria-describedby={mutation.error && !asking ? errorId : undefined}
      >
        {mutation.isPending && !asking ? 'Working…' : action.label}
      </button>
      <span className="action-hint">
        {action.description} → {destination(action)}
      </span>
      {!asking && <ErrorNote error={mutation.error} id={errorId} />}
      {asks && (
        <Modal open={asking} title={`${action.label} ${node.hostname}?`} onClose={() => setAsking(false)}>
          <form onSubmit={submit}>
            {action.confirm && <p className="warning">{action.confirm}</p>}
            {action.comment && (
              <label className="field">
                <span className="field-label">{action.comment === 'required' ? 'Why? (required)' : 'Comment (optional)'}</span>
                <textarea rows={3} value={comment} onChange={(event) => setComment(event.target.value)} autoFocus maxLength={1000} />
              </label>
            )}
            <ErrorNote error={mutation.error} />
            <div className="modal-actions">
              <button
                type="button"
                className="button"
                onClick={() => setAsking(false)}
                disabled={mutation.isPending}
                autoFocus={!action.comment}
              >
                Cancel
              </button>
              <button
                type="submit"
                className={`button ${action.danger || action.confirm ? 'button-danger' : 'button-primary'}`}
                disabled={mutation.isPending || missingComment}
              >
                {mutation.isPending ? 'Working…' : action.label}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </div>
  );
}
