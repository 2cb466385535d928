#!/usr/bin/env node
// A `solc` command-line stand-in for forge, backed by the `solc` npm package (solcjs).
// forge cannot download native compilers on this machine, so foundry.toml points `solc` here.
// It answers the two invocations forge makes: `--version` and `--standard-json` (input on stdin).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const solc = require('solc');
const args = process.argv.slice(2);

if (args.includes('--version')) {
  // forge parses the second line: "Version: 0.8.x+commit.<hash>.<platform>"
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write(`scripts/solc.mjs: only --version and --standard-json are supported (got: ${args.join(' ')})\n`);
  process.exit(2);
}

const allowed = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--base-path' || args[i] === '--include-path' || args[i] === '--allow-paths') {
    for (const p of (args[i + 1] ?? '').split(',')) if (p) allowed.push(path.resolve(p));
  }
}
const roots = allowed.length > 0 ? allowed : [process.cwd()];

function findImports(importPath) {
  for (const root of [...roots, '']) {
    try {
      return { contents: readFileSync(path.resolve(root, importPath), 'utf8') };
    } catch {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath}` };
}

const input = readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
