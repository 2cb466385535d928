import { readFileSync, writeFileSync } from 'node:fs';

import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { errorMessage, NodeError } from '../../../foundation/errors/index.js';
import { l1ConfigMappings } from '../../../l1/config.js';
import { nodeConfigMappings, type AztecConfig } from '../../../node/config.js';
import {
  exportSlashingProtection,
  importSlashingProtection,
  summarizeInterchange,
  type InterchangeSummary,
} from '../../../node/slashing-protection-history.js';
import { validatorConfigMappings } from '../../../validator/config.js';
import { ValidatorError } from '../../../validator/errors.js';
import { redactDatabaseUrl } from '../../../validator/ha/index.js';
import { loadKeystore } from '../../../validator/keystore/index.js';
import { chainIdentityRoot, parseInterchange } from '../../../validator/slashing-protection.js';
import { configCommand, missingSetting, type CommandSpec } from '../../command-config.js';

// The node's own setting (flag, variable, parser); only its help differs: here it is required and only read.
const { defaultText: _inMemory, ...nodeDataDirectory } = nodeConfigMappings.dataDirectory;
const dataDirectory = {
  ...nodeDataDirectory,
  description: 'The data directory the node runs with (as given to `aztec start`); its history is in <dir>/node.',
};

// The node's HA setting: with it, the history of every node of the HA set is read or written too.
const haDatabaseUrl = {
  ...validatorConfigMappings.haDatabaseUrl,
  aliases: ['--database-url'],
  description:
    'The HA signing database the nodes share (VALIDATOR_HA_SIGNING_ENABLED): its duties of this chain are exported ' +
    'with the data directory’s, or the file is imported into it too. Either this or --data-directory is required.',
};

const keystore = {
  ...validatorConfigMappings.keyStoreDirectory,
  description: 'The node’s keystore: the export lists every attester of it, those that signed nothing too.',
};

const exportMappings = defineConfigMappings({
  dataDirectory,
  haDatabaseUrl,
  keystore,
  file: {
    flag: '--file',
    parse: p.text('<path>', 'slashing-protection.json'),
    defaultText: 'standard output',
    description: 'Where to write the interchange JSON (overwritten if it exists).',
  },
});

const importMappings = defineConfigMappings({
  dataDirectory,
  haDatabaseUrl,
  file: {
    flag: '--file',
    parse: p.text('<path>', 'slashing-protection.json'),
    description: 'The interchange JSON to import, as written by `aztec export-slashing-protection`.',
  },
});

const CHAIN_NOTE =
  'The file is labelled with the chain (genesis_validators_root = keccak256(L1 chain id, rollup address)), taken ' +
  'from --network (default local), --l1-chain-id and --l1.rollupAddress as for `aztec start`.';

const exportSpec: CommandSpec<typeof exportMappings> = {
  name: 'export-slashing-protection',
  title: 'Slashing protection',
  summary:
    "Writes the validator's slashing protection history (every slot it signed a block proposal or an attestation " +
    'for) as EIP-3076-style interchange JSON, to move a validator key to another machine: stop the node, export, ' +
    `import on the new machine before its first start with the key. ${CHAIN_NOTE}`,
  mappings: exportMappings,
};

const importSpec: CommandSpec<typeof importMappings> = {
  name: 'import-slashing-protection',
  title: 'Slashing protection',
  summary:
    'Merges a slashing protection interchange file into a data directory (created if needed), so the node refuses ' +
    'to sign a different block or attestation for a slot the key already signed. Import before the node starts with ' +
    'the key, and stop it if it runs on this data directory: until the import is done it may sign the slots the ' +
    'file covers. All or nothing: a ' +
    `malformed file, another chain's, or one that conflicts with the history is refused and nothing is written. ` +
    CHAIN_NOTE,
  mappings: importMappings,
};

/** The chain identity the history is labelled with, from the same settings and presets as `aztec start`. */
function chainOf(config: AztecConfig) {
  const { l1ChainId, rollupAddress: rollup } = config.l1;
  if (!rollup) {
    throw missingSetting(
      l1ConfigMappings.rollupAddress,
      'the history is labelled with the L1 chain id and the rollup the key signed for (the registry is not read)',
    );
  }
  return { l1ChainId, rollup, root: chainIdentityRoot(l1ChainId, rollup) };
}

const recordsText = (s: InterchangeSummary) =>
  `${s.blocks} block proposal(s) and ${s.attestations} attestation(s) of ${s.validators} validator(s)`;

/** `aztec export-slashing-protection --data-directory <dir> [--file <path>]`. */
export const exportSlashingProtectionCommand = configCommand(exportSpec, async ({ own, config }, ctx) => {
  if (!own.dataDirectory && !own.haDatabaseUrl) {
    throw missingSetting(
      exportMappings.dataDirectory,
      'the history is read from <dir>/node (or from the HA signing database, --validator.haDatabaseUrl / ' +
        'VALIDATOR_HA_DATABASE_URL)',
    );
  }
  const chain = chainOf(config);
  const attesters = own.keystore ? (await loadKeystore(own.keystore)).map(v => v.attester) : [];
  const doc = await exportSlashingProtection(
    { dataDirectory: own.dataDirectory, haDatabaseUrl: own.haDatabaseUrl },
    chain.root,
    attesters,
  );
  const summary = summarizeInterchange(parseInterchange(doc, chain.root));
  const what = `${recordsText(summary)} (L1 chain ${chain.l1ChainId}, rollup ${chain.rollup})`;
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (!own.file) {
    ctx.stdout(text);
    ctx.stderr(`Exported ${what}\n`);
    return;
  }
  try {
    writeFileSync(own.file, text);
  } catch (err) {
    throw new NodeError('INTERCHANGE_FILE', `Cannot write ${own.file} (--file): ${errorMessage(err)}`);
  }
  ctx.stdout(`Exported ${what} to ${own.file}\n`);
});

/** `aztec import-slashing-protection --data-directory <dir> --file <path>`. */
export const importSlashingProtectionCommand = configCommand(importSpec, async ({ own, config }, ctx) => {
  if (!own.dataDirectory && !own.haDatabaseUrl) {
    throw missingSetting(
      importMappings.dataDirectory,
      'the history is merged into <dir>/node (or into the HA signing database, --validator.haDatabaseUrl / ' +
        'VALIDATOR_HA_DATABASE_URL)',
    );
  }
  if (!own.file) throw missingSetting(importMappings.file, 'the interchange file to import');
  const chain = chainOf(config);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(own.file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `it is not JSON (${err.message})` : errorMessage(err);
    throw new NodeError('INTERCHANGE_FILE', `Cannot import ${own.file} (--file): ${why}. Nothing was imported.`);
  }
  let result;
  try {
    result = await importSlashingProtection(
      { dataDirectory: own.dataDirectory, haDatabaseUrl: own.haDatabaseUrl },
      chain.root,
      doc,
    );
  } catch (err) {
    if (!(err instanceof ValidatorError)) throw err;
    const hint =
      err.context['expected'] !== undefined
        ? ` This chain is L1 chain ${chain.l1ChainId} with rollup ${chain.rollup} (--network, --l1-chain-id, ` +
          '--l1.rollupAddress): import with the settings the file was exported with, on the same chain.'
        : '';
    throw new ValidatorError(err.code, `Refused to import ${own.file}: ${err.message}. Nothing was imported.${hint}`, {
      ...err.context,
    });
  }
  ctx.stdout(
    `Imported ${own.file} into ${[own.dataDirectory, own.haDatabaseUrl && redactDatabaseUrl(own.haDatabaseUrl)].filter(Boolean).join(' and ')}: ${recordsText(result.summary)}, ${result.added} of them new ` +
      `(L1 chain ${chain.l1ChainId}, rollup ${chain.rollup})\n`,
  );
});
