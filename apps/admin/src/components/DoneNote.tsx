/** What was just done, in words; one live region, so that screen readers announce each new message. */
export function DoneNote({ message }: { message: string | null }) {
  return <div role="status">{message && <p className="success-note">{message}</p>}</div>;
}
