import { useState } from 'react';

/**
 * A secret shown once in a read-only field named `label`, with a button named `copyLabel` that
 * copies it to the clipboard.
 */
export function CopySecret({ value, label, copyLabel }: { value: string; label: string; copyLabel: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <>
      <div className="token-box">
        <input className="mono" readOnly value={value} aria-label={label} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={copy} aria-label={copyLabel}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="hint" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'The browser refused the clipboard: select the token and copy it yourself.'}
      </span>
    </>
  );
}
