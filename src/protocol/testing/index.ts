export * from './fixtures.js';
export * from './memory-world-state.js';
export * from './trees.js';
export * from './world.js';
