export const INVENTORY_FORMATS = ['csv', 'yaml'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** YAML for .yaml and .yml files, CSV for anything else. */
export function formatOfPath(path: string): InventoryFormat {
  return /\.ya?ml$/i.test(path) ? 'yaml' : 'csv';
}
