export * from './append-only-tree.js';
export * from './errors.js';
export * from './indexed-fork.js';
export * from './indexed-leaves.js';
export * from './indexed-tree.js';
export type { TreeOptions } from './tree-core.js';
