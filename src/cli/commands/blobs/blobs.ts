import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { Command } from 'commander';

import { blobArchiveDirectory } from '../../../archiver/blob-archive.js';
import { exportBlobs } from '../../../archiver/blob-export.js';
import { archiverConfigMappings } from '../../../archiver/config.js';
import { ArchiverStore } from '../../../archiver/store.js';
import { ConfigError, defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { NodeError } from '../../../foundation/errors/index.js';
import { openKvStore } from '../../../kv/index.js';
import { nodeConfigMappings } from '../../../node/config.js';
import { NODE_STORE_NAME } from '../../../node/node-store.js';
import { missingSetting, parseCommand, type CommandSpec } from '../../command-config.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand, CliContext } from '../../types.js';

// The node's own settings (flag, variable, parser); here the data directory is required and only read.
const { defaultText: _inMemory, ...nodeDataDirectory } = nodeConfigMappings.dataDirectory;

const exportMappings = defineConfigMappings({
  dataDirectory: {
    ...nodeDataDirectory,
    description: 'The data directory of the stopped node (as given to `aztec start`); its store is <dir>/node.',
  },
  out: {
    flag: '--out',
    parse: p.text('<dir>', './blob-archive'),
    defaultText: 'the first BLOB_ARCHIVE_URLS entry, when it is a file URL',
    description: 'The archive directory to write <versionedHash>.blob files into (created if needed).',
  },
  blobArchiveUrls: archiverConfigMappings.blobArchiveUrls,
});

const exportSpec: CommandSpec<typeof exportMappings> = {
  name: 'blobs export',
  title: 'Blob archive',
  summary:
    'Writes the blobs of every block a stopped node stored into a blob archive directory, one <versionedHash>.blob ' +
    "file per blob, each rebuilt from the stored body and checked against the block header's blobsHash first. " +
    'Nodes read the archive through BLOB_ARCHIVE_URLS for bodies the beacon no longer has, checking every blob ' +
    'against L1 (docs/blob-archive.md). Blobs already in the archive are kept.',
  mappings: exportMappings,
};

async function runExport(args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(exportSpec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { own } = parsed;
  if (!own.dataDirectory) throw missingSetting(exportMappings.dataDirectory, 'the blocks to export are in <dir>/node');
  const first = own.blobArchiveUrls?.[0];
  const out = own.out ?? (first !== undefined ? blobArchiveDirectory(first) : undefined);
  if (!out) {
    throw new ConfigError([
      {
        flag: '--out',
        message:
          first === undefined
            ? '--out is required (or a file:// URL first in BLOB_ARCHIVE_URLS): where to write the blobs'
            : `--out is required: the first BLOB_ARCHIVE_URLS entry ${first} is not a file URL`,
      },
    ]);
  }
  const path = join(own.dataDirectory, NODE_STORE_NAME);
  if (!existsSync(join(path, 'data.mdb'))) {
    throw new NodeError(
      'NO_NODE_STORE',
      `No node store at ${path}: give the data directory the node ran with (--data-directory / DATA_DIRECTORY)`,
      { path },
    );
  }
  const kv = await openKvStore({ dataDirectory: own.dataDirectory, name: NODE_STORE_NAME });
  try {
    const others = kv.otherProcesses();
    if (others.length > 0) {
      throw new NodeError(
        'NODE_STORE_IN_USE',
        `The node store in ${own.dataDirectory} (--data-directory) is in use by process ${others.join(', ')}: stop ` +
          'the node first',
        { path, pids: others },
      );
    }
    const result = await exportBlobs(new ArchiverStore(kv), out);
    ctx.stdout(
      `Exported ${result.blobs} blobs of ${result.blocks} blocks to ${out} (${result.written} new, ` +
        `${result.blobs - result.written} already there)\n`,
    );
  } finally {
    await kv.close();
  }
}

/** `aztec blobs export`. */
export const blobsCommand: CliCommand = {
  name: 'blobs',
  register(program: Command, ctx) {
    const group = program
      .command('blobs')
      .description(
        'The blob archive: block bodies past the beacon’s retention, checked against L1 (docs/blob-archive.md).',
      )
      .enablePositionalOptions()
      .exitOverride();
    passThroughCommand(group, 'export', exportSpec.summary)
      .exitOverride()
      .action(async (a: string[]) => runExport(a, ctx));
  },
};
