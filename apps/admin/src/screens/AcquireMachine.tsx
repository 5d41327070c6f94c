import { useState, type FormEvent } from 'react';
import { ARCHITECTURES, type Architecture } from '@metalyard/sdk';
import { useAcquireAny } from '../api/nodes.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { navigate, hrefs } from '../route.js';

/** Takes the first ready machine (of an architecture, optionally); the server says why when none matches. */
export function AcquireMachine() {
  const [architecture, setArchitecture] = useState<Architecture | ''>('');
  const acquire = useAcquireAny();

  function submit(event: FormEvent) {
    event.preventDefault();
    acquire.mutate(architecture || null, { onSuccess: (node) => navigate(hrefs.machine(node.systemId)) });
  }

  return (
    <form className="acquire" onSubmit={submit} aria-label="Acquire a ready machine">
      <label>
        <span className="sr-only">Architecture to acquire</span>
        <select value={architecture} onChange={(event) => setArchitecture(event.target.value as Architecture | '')}>
          <option value="">Any architecture</option>
          {ARCHITECTURES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={acquire.isPending}>
        {acquire.isPending ? 'Acquiring…' : 'Acquire a machine'}
      </button>
      <ErrorNote error={acquire.error} />
    </form>
  );
}
