import type { Command } from 'commander';

import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { l1ConfigMappings } from '../../../l1/config.js';
import { nodeConfigMappings } from '../../../node/config.js';
import { NODE_STORE_NAME } from '../../../node/node-store.js';
import { exportDataDirectory } from '../../../snapshot/export.js';
import { missingSetting, parseCommand, type CommandSpec } from '../../command-config.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand, CliContext } from '../../types.js';

// The node's own setting (flag, variable, parser); here it is required and only read.
const { defaultText: _inMemory, ...nodeDataDirectory } = nodeConfigMappings.dataDirectory;

const exportMappings = defineConfigMappings({
  dataDirectory: {
    ...nodeDataDirectory,
    description: 'The data directory of the stopped node (as given to `aztec start`); its store is <dir>/node.',
  },
  out: {
    flag: '--out',
    parse: p.text('<dir|file.json>', 'snapshot'),
    description:
      'Where to write the snapshot: a directory (index.json and node.mdb.gz in it, created if needed), or the ' +
      'index file <name>.json with node.mdb.gz beside it.',
  },
});

const exportSpec: CommandSpec<typeof exportMappings> = {
  name: 'snapshot export',
  title: 'Snapshot',
  summary:
    'Writes a snapshot of a stopped node: its archiver store and world state at its latest block n, compressed, ' +
    'with an index (L1 chain id, rollup address, n, archive and state roots, format version, sha256 of each file). ' +
    'Other nodes start from it with SYNC_MODE=snapshot and SYNC_SNAPSHOTS_URLS, after checking it against L1 ' +
    '(docs/snapshots.md). Refuses while a node runs on the directory: use nodeAdmin_exportSnapshot on a running ' +
    'node. The chain is labelled from --network (default local), --l1-chain-id and --l1.rollupAddress.',
  mappings: exportMappings,
};

async function runExport(args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(exportSpec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { own, config } = parsed;
  if (!own.dataDirectory) throw missingSetting(exportMappings.dataDirectory, 'the store to export is <dir>/node');
  if (!own.out) throw missingSetting(exportMappings.out, 'where to write the snapshot');
  const rollup = config.l1.rollupAddress;
  if (!rollup) throw missingSetting(l1ConfigMappings.rollupAddress, 'the snapshot is labelled with its rollup');
  const result = await exportDataDirectory({
    dataDirectory: own.dataDirectory,
    storeName: NODE_STORE_NAME,
    l1ChainId: config.l1.l1ChainId,
    rollupAddress: rollup,
    out: own.out,
  });
  const bytes = result.index.files.reduce((sum, f) => sum + f.bytes, 0);
  ctx.stdout(
    `Exported block ${result.index.blockNumber} (archive root ${result.index.archiveRoot}, ${bytes} bytes) to ` +
      `${result.indexPath}\n`,
  );
}

/** `aztec snapshot export`. */
export const snapshotCommand: CliCommand = {
  name: 'snapshot',
  register(program: Command, ctx) {
    const group = program
      .command('snapshot')
      .description('Snapshots of the chain data that other nodes start from, checked against L1 (docs/snapshots.md).')
      .enablePositionalOptions()
      .exitOverride();
    passThroughCommand(group, 'export', exportSpec.summary)
      .exitOverride()
      .action(async (a: string[]) => runExport(a, ctx));
  },
};
