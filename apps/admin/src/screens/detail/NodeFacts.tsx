import { REDACTED } from '@metalyard/sdk';
import type { Node } from '@metalyard/sdk';
import { age, dateTime, gigabytes, humanize, memory } from '../../format.js';

const none = <span className="muted">—</span>;

export function NodeFacts({ node }: { node: Node }) {
  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Details</h2>
      <dl className="facts">
        <dt>System ID</dt>
        <dd className="mono">{node.systemId}</dd>
        <dt>Hostname</dt>
        <dd>{node.hostname}</dd>
        <dt>Status</dt>
        <dd>{humanize(node.status)}</dd>
        <dt>Architecture</dt>
        <dd>{node.architecture}</dd>
        <dt>MAC addresses</dt>
        <dd>
          <ul className="plain mono">
            {node.macAddresses.map((mac) => (
              <li key={mac}>{mac}</li>
            ))}
          </ul>
        </dd>
        <dt>Owner</dt>
        <dd>{node.owner ?? <span className="muted">nobody</span>}</dd>
        <dt>Zone</dt>
        <dd>{node.zone ?? none}</dd>
        <dt>Pool</dt>
        <dd>{node.pool ?? none}</dd>
        <dt>Tags</dt>
        <dd>{node.tags.length ? <TagList tags={node.tags} /> : none}</dd>
        <dt>Power type</dt>
        <dd>{node.powerType}</dd>
        <dt>Image</dt>
        <dd>{node.image ?? none}</dd>
        <dt>Machine agent</dt>
        <dd>
          {node.agent ? (
            <>
              {node.agent.step}: {node.agent.message || '…'}{' '}
              <span className="muted">
                (<time dateTime={node.agent.at}>{age(node.agent.at)}</time>)
              </span>
            </>
          ) : (
            none
          )}
        </dd>
        <dt>Enlisted</dt>
        <dd>
          <time dateTime={node.createdAt}>{dateTime(node.createdAt)}</time> <span className="muted">({age(node.createdAt)})</span>
        </dd>
        <dt>Last changed</dt>
        <dd>
          <time dateTime={node.updatedAt}>{dateTime(node.updatedAt)}</time> <span className="muted">({age(node.updatedAt)})</span>
        </dd>
      </dl>
    </section>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  return (
    <ul className="tags" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag} className="tag">
          {tag}
        </li>
      ))}
    </ul>
  );
}

/** What commissioning found; until it has run, says so. */
export function HardwareFacts({ hardware }: { hardware: Node['hardware'] }) {
  return (
    <section className="panel" aria-labelledby="hardware-title">
      <h2 id="hardware-title">Hardware</h2>
      {!hardware ? (
        <p className="muted">Not known yet: commissioning reports the machine’s CPUs, memory, disks and network cards.</p>
      ) : (
        <dl className="facts">
          <dt>CPU cores</dt>
          <dd>
            {hardware.cpuCount}
            {hardware.cpuModel && <span className="muted"> · {hardware.cpuModel}</span>}
          </dd>
          <dt>Memory</dt>
          <dd>{memory(hardware.memoryMb)}</dd>
          <dt>Storage</dt>
          <dd>
            {hardware.storage.length === 0 ? (
              none
            ) : (
              <ul className="plain">
                {hardware.storage.map((disk) => (
                  <li key={disk.name}>
                    <span className="mono">{disk.name}</span> · {gigabytes(disk.sizeGb)}
                    {disk.model && <span className="muted"> · {disk.model}</span>}
                    {disk.serial && <span className="muted mono"> · serial {disk.serial}</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Network cards</dt>
          <dd>
            {hardware.nics.length === 0 ? (
              none
            ) : (
              <ul className="plain">
                {hardware.nics.map((nic) => (
                  <li key={nic.name}>
                    <span className="mono">{nic.name}</span> · <span className="mono">{nic.mac}</span>
                    {nic.link && <span className="muted"> · link {nic.link}</span>}
                    {nic.speedMbps !== undefined && <span className="muted"> · {nic.speedMbps} Mb/s</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}

/** The owner's notes on the machine; they are wiped when it is released. */
export function Annotations({ annotations }: { annotations: Node['annotations'] }) {
  const entries = Object.entries(annotations);
  return (
    <section className="panel" aria-labelledby="annotations-title">
      <h2 id="annotations-title">Annotations</h2>
      {entries.length === 0 ? (
        <p className="muted">None. Its owner can add notes with the API or the CLI; they are wiped on release.</p>
      ) : (
        <dl className="facts">
          {entries.map(([key, value]) => (
            <div key={key} className="fact">
              <dt className="mono">{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** Only admins receive power parameters; secrets arrive masked and stay masked. */
export function PowerParameters({ parameters }: { parameters: Record<string, string> }) {
  const entries = Object.entries(parameters);
  return (
    <section className="panel" aria-labelledby="power-title">
      <h2 id="power-title">Power parameters</h2>
      {entries.length === 0 ? (
        <p className="muted">None set.</p>
      ) : (
        <dl className="facts">
          {entries.map(([key, value]) => (
            <div key={key} className="fact">
              <dt>{key}</dt>
              <dd className="mono">
                {value === REDACTED ? (
                  <>
                    <span aria-hidden="true">••••••••</span>
                    <span className="sr-only">hidden</span>
                  </>
                ) : (
                  value
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
