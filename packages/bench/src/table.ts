export interface Row {
  figure: string;
  metalyard: string;
  baseline: string;
  /** Metalyard / baseline, when a ratio means something. */
  ratio?: string;
  target?: string;
  pass?: boolean;
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['figure', 'Metalyard', 'baseline', 'Metalyard / baseline', 'target', 'pass'];
  const lines = rows.map((row) => [
    row.figure,
    row.metalyard,
    row.baseline,
    row.ratio ?? '',
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'pass' : 'FAIL',
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const p50p99 = (summary: { p50: number; p99: number }): string => `${ms(summary.p50)} / ${ms(summary.p99)}`;
export const times = (value: number): string => `${value.toFixed(2)}×`;
