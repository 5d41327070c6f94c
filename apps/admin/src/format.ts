/** Each unit, its size in seconds, and from how many seconds on it is used ("in 30 days", not "next month"). */
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ['year', 365 * 24 * 3600, 365 * 24 * 3600],
  ['month', 30 * 24 * 3600, 45 * 24 * 3600],
  ['day', 24 * 3600, 24 * 3600],
  ['hour', 3600, 3600],
  ['minute', 60, 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday". */
export function age(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size, from] of UNITS) {
    if (Math.abs(seconds) >= from) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "failed_commissioning" → "Failed commissioning"; "markBroken" → "Mark broken". */
export function humanize(word: string): string {
  const text = word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 16384 MB → "16 GiB"; 1536 → "1.5 GiB"; 512 → "512 MiB". */
export function memory(megabytes: number): string {
  if (megabytes < 1024) return `${megabytes} MiB`;
  return `${Number((megabytes / 1024).toFixed(1))} GiB`;
}

/** 480 → "480 GB"; 3840 → "3.84 TB". */
export function gigabytes(size: number): string {
  return size >= 1000 ? `${Number((size / 1000).toFixed(2))} TB` : `${Number(size.toFixed(1))} GB`;
}

/** 1 → "1 machine"; 3 → "3 machines". */
export const machines = (count: number): string => (count === 1 ? '1 machine' : `${count} machines`);
