import { useLiveState } from '../api/live.js';

/** Whether changes appear as they happen, or the app has fallen back to polling. */
export function LiveIndicator() {
  const state = useLiveState();
  const text = { connecting: 'Connecting…', live: 'Live', polling: 'Live updates interrupted: refreshing every 15 s' }[state];
  return (
    <span className={`live live-${state}`} role="status" title={state === 'live' ? 'Changes appear as they happen' : undefined}>
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
