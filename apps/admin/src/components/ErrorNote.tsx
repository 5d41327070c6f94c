import { errorMessage } from '../api/errors.js';

/** A refusal or failure, in words, where it happened; announced to screen readers. */
export function ErrorNote({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert" id={id}>
      {errorMessage(error)}
    </p>
  );
}
