import { age, dateTime } from '../format.js';

/** "5 minutes ago", with the exact date and time on hover. */
export function TimeAgo({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      {age(iso)}
    </time>
  );
}
