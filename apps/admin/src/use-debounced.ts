import { useEffect, useRef, useState } from 'react';

/** `value`, once it has stopped changing for `delayMs` (so typing does not send a request per key). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * The text of an input whose settled value lives elsewhere (the URL): typing changes the text at
 * once and `commit`s it, trimmed, once it has stopped changing for `delayMs`; a change from
 * elsewhere (Back, a link) replaces the text.
 */
export function useSettledText(outside: string, commit: (value: string) => void, delayMs = 250): [string, (text: string) => void] {
  const [text, setText] = useState(outside);
  const settled = useDebounced(text.trim(), delayMs);
  const seen = useRef(outside);
  useEffect(() => {
    // Only a newly settled text is committed (`commit` is a new function at every render).
    if (settled !== seen.current) commit(settled);
  }, [settled]);
  useEffect(() => {
    if (outside === seen.current) return;
    seen.current = outside;
    if (outside !== settled) setText(outside);
  }, [outside]);
  return [text, setText];
}
