import { defineConfigMappings } from '../../../foundation/config/index.js';
import { generatePeerPrivateKeyHex } from '../../../p2p/peer-key.js';
import { configCommand, type CommandSpec } from '../../command-config.js';

const mappings = defineConfigMappings({});

const spec: CommandSpec<typeof mappings> = {
  name: 'generate-p2p-private-key',
  title: 'P2P',
  summary: 'Prints a new secp256k1 private key for the p2p identity (use it as PEER_ID_PRIVATE_KEY).',
  mappings,
};

/** `aztec generate-p2p-private-key`: prints a fresh p2p private key, `0x` + 64 hex characters. */
export const generateP2pPrivateKeyCommand = configCommand(spec, ({ own: _own }, ctx) => {
  ctx.stdout(`Private key: ${generatePeerPrivateKeyHex()}\n`);
  return Promise.resolve();
});
