import type { EnlistInput } from '@metalyard/domain';
import { createApplication, type Application, type SettingsOverrides } from '@metalyard/usecases';
import { openDatabase, type Database, type DatabaseOptions } from '../src/index.js';

export interface Yard {
  db: Database;
  app: Application;
}

/** A database and the application on it, as the server wires them. */
export async function openYard(options: DatabaseOptions = {}, settings: SettingsOverrides = {}): Promise<Yard> {
  const db = await openDatabase(options);
  return { db, app: createApplication({ uow: db.uow, feed: db.feed }, settings) };
}

/** An enlistment of one MAC, manual power, with `extra` on top. */
export const enlistInput = (mac: string, extra: Partial<EnlistInput> = {}): EnlistInput => ({
  architecture: 'amd64/generic',
  macAddresses: [mac],
  powerType: 'manual',
  powerParameters: {},
  ...extra,
});
