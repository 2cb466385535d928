export * from './recording-world-state.js';
export * from './harness.js';
