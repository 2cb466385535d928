import type { CliCommand } from '../types.js';
import { addL1ValidatorCommand } from './l1/add-l1-validator.js';
import { deployL1ContractsCommand } from './l1/deploy-l1-contracts.js';
import { getInfoCommand } from './node/get-info.js';
import { networkConfigCommand } from './node/network-config.js';
import { generateP2pPrivateKeyCommand } from './p2p/generate-p2p-private-key.js';
import { sendTxsCommand } from './node/send-txs.js';
import { snapshotCommand } from './snapshot/snapshot.js';
import { startCommand } from './start/index.js';
import { validatorKeysCommand } from './validator/validator-keys.js';
import { exportSlashingProtectionCommand, importSlashingProtectionCommand } from './validator/slashing-protection.js';

/** Every `aztec` subcommand, in the order `aztec --help` lists them. Add yours here. */
export const commands: CliCommand[] = [
  startCommand,
  getInfoCommand,
  sendTxsCommand,
  networkConfigCommand,
  deployL1ContractsCommand,
  addL1ValidatorCommand,
  validatorKeysCommand,
  generateP2pPrivateKeyCommand,
  exportSlashingProtectionCommand,
  importSlashingProtectionCommand,
  snapshotCommand,
];
