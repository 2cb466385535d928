import type { CliCommand } from '../types.js';

/**
 * A subcommand by name, its module imported only when the command line runs it (or asks for the top-level help):
 * `aztec start --help` loads neither viem's clients nor libp2p nor LMDB. Add yours here, in the order `aztec --help`
 * lists them.
 */
export interface CommandEntry {
  name: string;
  load: () => Promise<CliCommand>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'start', load: async () => (await import('./start/index.js')).startCommand },
  { name: 'get-info', load: async () => (await import('./node/get-info.js')).getInfoCommand },
  { name: 'send-txs', load: async () => (await import('./node/send-txs.js')).sendTxsCommand },
  { name: 'network-config', load: async () => (await import('./node/network-config.js')).networkConfigCommand },
  {
    name: 'deploy-l1-contracts',
    load: async () => (await import('./l1/deploy-l1-contracts.js')).deployL1ContractsCommand,
  },
  { name: 'add-l1-validator', load: async () => (await import('./l1/add-l1-validator.js')).addL1ValidatorCommand },
  { name: 'validator-keys', load: async () => (await import('./validator/validator-keys.js')).validatorKeysCommand },
  {
    name: 'generate-p2p-private-key',
    load: async () => (await import('./p2p/generate-p2p-private-key.js')).generateP2pPrivateKeyCommand,
  },
  {
    name: 'export-slashing-protection',
    load: async () => (await import('./validator/slashing-protection.js')).exportSlashingProtectionCommand,
  },
  {
    name: 'import-slashing-protection',
    load: async () => (await import('./validator/slashing-protection.js')).importSlashingProtectionCommand,
  },
  { name: 'snapshot', load: async () => (await import('./snapshot/snapshot.js')).snapshotCommand },
  { name: 'blobs', load: async () => (await import('./blobs/blobs.js')).blobsCommand },
  { name: 'migrate-ha-db', load: async () => (await import('./validator/migrate-ha-db.js')).migrateHaDbCommand },
];

/** Every command, loaded (the top-level help, an unknown command, tests). */
export async function loadCommands(): Promise<CliCommand[]> {
  return Promise.all(commandEntries.map(e => e.load()));
}

/**
 * The commands `argv` (as in `process.argv`) needs: only the named one when the first argument is a command's name,
 * else all of them (`aztec --help`, `aztec -V`, a typo that commander answers with the list).
 */
export async function loadCommandsFor(argv: readonly string[]): Promise<CliCommand[]> {
  const entry = commandEntries.find(e => e.name === argv[2]);
  return entry ? [await entry.load()] : loadCommands();
}
