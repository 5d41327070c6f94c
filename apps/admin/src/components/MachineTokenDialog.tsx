import { useState } from 'react';
import { Modal } from './Modal.js';

/** A per-node token and the machine it belongs to. */
export interface MachineToken {
  machine: string;
  token: string;
}

/** `{ systemId: token }` (what accept returns) as a list. */
export function machineTokensOf(tokens: Record<string, string> | undefined): MachineToken[] {
  return Object.entries(tokens ?? {}).map(([machine, token]) => ({ machine, token }));
}

/** Shows per-node tokens once, each with a copy button: the server keeps only their hashes. */
export function MachineTokenDialog({ tokens, onClose }: { tokens: MachineToken[]; onClose(): void }) {
  const title = tokens.length === 1 ? `Machine token for ${tokens[0]!.machine}` : `Machine tokens for ${tokens.length} machines`;
  return (
    <Modal open={tokens.length > 0} title={title} onClose={onClose}>
      <p>
        Give {tokens.length === 1 ? 'this token' : 'each token'} to the machine’s boot environment: it reports its
        commissioning or deployment with it, as <code>Authorization: Bearer …</code>.
      </p>
      <p className="warning">Shown only this once. Metalyard keeps only a hash.</p>
      <ul className="plain token-list">
        {tokens.map((entry) => (
          <TokenRow key={entry.machine} entry={entry} labelled={tokens.length > 1} />
        ))}
      </ul>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

function TokenRow({ entry, labelled }: { entry: MachineToken; labelled: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(entry.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <li>
      {labelled && <span className="field-label">{entry.machine}</span>}
      <div className="token-box">
        <input
          className="mono"
          readOnly
          value={entry.token}
          aria-label={`Machine token for ${entry.machine}`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="button" onClick={copy} aria-label={`Copy the token for ${entry.machine}`}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="hint" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'The browser refused the clipboard: select the token and copy it yourself.'}
      </span>
    </li>
  );
}
