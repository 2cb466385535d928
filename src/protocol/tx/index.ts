export * from './admission.js';
export * from './execute.js';
export * from './rejection.js';
export * from './rules.js';
export * from './state.js';
