#!/usr/bin/env node
// Compiles the L1 contracts with forge (solc from the npm package through scripts/solc.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { foundryBinary } from './foundry-bin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(foundryBinary('forge'), ['build', '--skip', 'test'], {
  cwd: path.join(root, 'contracts'),
  stdio: 'inherit',
});
if (result.error) throw result.error;
if (result.status !== 0) process.exit(result.status ?? 1);
