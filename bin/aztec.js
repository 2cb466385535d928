#!/usr/bin/env node
// Entry point of the `aztec` command. The TypeScript is compiled to dist/ by `npm install` (prepare → build).
import { main } from '../dist/cli/index.js';

await main(process.argv);
