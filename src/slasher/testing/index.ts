export * from './equivocating-source.js';
export * from './evidence.js';
