import { InvalidArgumentError, Option } from 'commander';
import type * as actions from '../inventory/actions.js';
import { INVENTORY_FORMATS } from '../inventory/formats.js';
import { NODE_STATUSES } from '../nodes/vocabulary.js';
import { withoutOutputOptions } from '../output/format.js';
import type { Verb } from './verb.js';

const loadActions = () => import('../inventory/actions.js');

const FILE_FORMAT_HELP = `
File format: CSV with a header row, or a YAML list (by the extension .yaml/.yml).
  CSV columns:  hostname, architecture, macs (separated by spaces or semicolons), power_type, zone, pool,
                tags (separated like macs), and one power.KEY column per power parameter
                (power.address, power.username, power.password)
  YAML keys:    hostname, architecture, macs (a list or a string), power_type, power (a map), zone, pool,
                tags (a list or a string)
  Zones, pools and tags that do not exist yet are created first (which takes an admin).`;

const IMPORT_HELP = `${FILE_FORMAT_HELP}

A row whose MAC already belongs to a node counts as already present (a declared one is accepted:
re-enlisted). Exits with 1 when any row was refused, after listing each one with the server's reason.`;

const EXPORT_HELP = `${FILE_FORMAT_HELP}

Secrets are not exported: the server masks power passwords and keys (and shows power parameters
to admins only), so those columns are left out; add them back before importing elsewhere.`;

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return number;
}

export const inventoryVerbs: readonly Verb[] = [
  {
    name: 'import',
    topLevelAlias: true,
    define: (command) =>
      command
        .description('Enlist every machine in a CSV or YAML file, as the user; running it twice changes nothing')
        .argument('<file>')
        .option('--concurrency <n>', 'requests in flight at once (1–64)', positiveInteger, 8)
        .addHelpText('after', IMPORT_HELP)
        .action(async (...args: Parameters<typeof actions.importFile>) => (await loadActions()).importFile(...args)),
  },
  {
    name: 'export',
    topLevelAlias: true,
    // -o is the file to write here, and --format csv|yaml the format (--json prints the rows as JSON).
    define: (command) =>
      withoutOutputOptions(command)
        .description('Write the inventory in the format import reads')
        .addOption(new Option('--format <format>', 'csv or yaml (default: from --output, else csv)').choices(INVENTORY_FORMATS))
        .addOption(new Option('--status <status>', 'only nodes in this status').choices(NODE_STATUSES))
        .option('-o, --output <file>', 'write to this file instead of stdout')
        .addHelpText('after', EXPORT_HELP)
        .action(async (...args: Parameters<typeof actions.exportNodes>) => (await loadActions()).exportNodes(...args)),
  },
];
