import { NodeError } from '../../../foundation/errors/index.js';
import type { AztecConfig } from '../../../node/config.js';
import { SERVICE_MODULES, startModuleMappings, type StartModules } from './modules.js';

// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
// PLACEHOLDER, to be replaced when the modules exist: the one place `aztec start` hands a valid config over to
// the composition root. Until then it refuses, naming the modules that are not in this build.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Starts the chosen modules with a resolved config. For now: refuses, as no module is in this build yet. */
export function runStart(config: AztecConfig, modules: StartModules): Promise<void> {
  void config;
  const chosen = SERVICE_MODULES.filter(m => modules[m]).map(m => startModuleMappings[m].flag);
  return Promise.reject(
    new NodeError(
      'MODULE_NOT_AVAILABLE',
      `aztec start: ${chosen.join(', ')} ${chosen.length === 1 ? 'is' : 'are'} not available yet in this build.`,
      { modules: chosen },
    ),
  );
}
