import { InvalidInputError } from '@metalyard/domain';

/** Opaque page cursors over an increasing integer key. */
export function encodeCursor(id: number): string {
  return Buffer.from(`n${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^n(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidInputError('cursor: is not a cursor from a previous page', 'cursor');
  return Number(match[1]);
}
