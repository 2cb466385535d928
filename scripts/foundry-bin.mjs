// Resolves the foundry binaries shipped inside the @foundry-rs npm packages, so they can be run by path (one
// process per tool, no npm shim in between).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ARCH = { x64: 'amd64', arm64: 'arm64' };

/** Absolute path of a foundry tool binary (`forge`, `anvil`). */
export function foundryBinary(tool) {
  const arch = ARCH[process.arch];
  if (!arch) throw new Error(`foundry binaries are not published for ${process.platform}/${process.arch}`);
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', exe);
  } catch {
    throw new Error(`${pkg} is not installed: run npm install (it is an optional dependency of @foundry-rs/${tool})`);
  }
}
