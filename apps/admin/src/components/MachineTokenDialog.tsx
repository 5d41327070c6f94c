import { CopySecret } from './CopySecret.js';
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
        Give {tokens.length === 1 ? 'this token' : 'each token'} to the machine’s boot environment: it reports its commissioning or
        deployment with it, as <code>Authorization: Bearer …</code>.
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
  return (
    <li>
      {labelled && <span className="field-label">{entry.machine}</span>}
      <CopySecret value={entry.token} label={`Machine token for ${entry.machine}`} copyLabel={`Copy the token for ${entry.machine}`} />
    </li>
  );
}
