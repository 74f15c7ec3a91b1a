export * from './rlaif-error.js';
