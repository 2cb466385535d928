// Runs the CLI from source: `node --import tsx src/cli/bin.ts start --help`.
import { main } from './index.js';

await main(process.argv);
