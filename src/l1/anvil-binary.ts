import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/** Absolute path of the anvil binary inside its npm package (started by path so one PID owns it). */
export function anvilBinaryPath(): string {
  const arch = ARCH[process.arch];
  if (!arch) throw new Error(`anvil is not published for ${process.platform}/${process.arch}`);
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'anvil');
  } catch {
    throw new Error(`${pkg} is not installed; run npm install (it is an optional dependency of @foundry-rs/anvil)`);
  }
}
