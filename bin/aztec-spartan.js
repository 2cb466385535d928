#!/usr/bin/env node
// Entry point of the `aztec-spartan` command: runs spartan/aztec-spartan.sh (the same tool the install script
// writes as ./aztec-spartan.sh) in the current directory. It also serves the script as a helper that derives an L1
// address from a private key read on stdin (COINBASE's default), so the key never appears on a command line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.env.AZTEC_SPARTAN_MODE === 'key-address') {
  const { privateKeyToAddress } = await import('viem/accounts');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const key = input.trim().replace(/^(0x)?/, '0x');
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) process.exit(1);
  process.stdout.write(privateKeyToAddress(key));
  process.exit(0);
}

const script = fileURLToPath(new URL('../spartan/aztec-spartan.sh', import.meta.url));
const result = spawnSync('bash', [script, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, AZTEC_SPARTAN_ADDRESS_HELPER: fileURLToPath(import.meta.url) },
});
if (result.error) {
  console.error(`aztec-spartan: cannot run bash (${result.error.message}); it needs bash.`);
  process.exit(1);
}
process.exit(result.status ?? 1);
