#!/usr/bin/env node
// Runs forge from the npm package inside contracts/, e.g. `node scripts/forge.mjs test -vv`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { foundryBinary } from './foundry-bin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(foundryBinary('forge'), process.argv.slice(2), {
  cwd: path.join(root, 'contracts'),
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
