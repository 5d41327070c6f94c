/** Messages for a field: the server's field errors are keyed by path (`macAddresses.1`). */
export function messagesFor(fields: Record<string, string[]>, name: string): string[] {
  return Object.entries(fields).flatMap(([path, messages]) => (path === name || path.startsWith(`${name}.`) ? messages : []));
}

/** A field's messages under it, announced when they appear. */
export function FieldError({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {messages.join(' ')}
    </span>
  );
}
