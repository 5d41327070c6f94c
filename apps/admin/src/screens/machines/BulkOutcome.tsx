import { errorMessage } from '../../api/errors.js';
import { bulkSummary, type BulkResult } from '../../bulk.js';

/** Each machine that refused, and why, in the server's words. */
export function BulkFailures({ result }: { result: BulkResult }) {
  if (result.failed.length === 0) return null;
  return (
    <ul className="error-note bulk-failures" role="alert" aria-label="Refused">
      {result.failed.map(({ node, error }) => (
        <li key={node.systemId}>
          <strong>{node.hostname}</strong>: {errorMessage(error)}
        </li>
      ))}
    </ul>
  );
}

/** What a bulk action did: how many machines, and each refusal. */
export function BulkOutcome({ outcome }: { outcome: { label: string; result: BulkResult } | null }) {
  if (!outcome) return null;
  return (
    <div className="bulk-outcome">
      <p className={outcome.result.failed.length ? 'warning' : 'success-note'} role="status">
        {bulkSummary(outcome.label, outcome.result)}
      </p>
      <BulkFailures result={outcome.result} />
    </div>
  );
}
