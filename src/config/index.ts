export * from './types.js';
export { validateConfig } from './validate.js';
export { findConfig, loadConfig, loadConfigFile } from './load.js';
export { applyConfig, mergeOptions } from './apply.js';
