export * from './optimizers';
export * from './schedulers';
