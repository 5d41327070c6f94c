/** Every table's name, written once: the entities declare them from here and the SQL in queries/ reads them. */
export const TABLES = {
  node: 'node',
  macAddress: 'mac_address',
  nodeTag: 'node_tag',
  tag: 'tag',
  zone: 'zone',
  pool: 'pool',
  user: 'app_user',
  apiToken: 'api_token',
  nodeEvent: 'node_event',
} as const;
