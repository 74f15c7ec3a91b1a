/** `defineConfig`: typing help for `rlaif.config.ts`. */
import type { RlaifConfigInput } from './schema.js';

/** Returns `config` unchanged; exists so editors type-check and complete `rlaif.config.ts`. */
export function defineConfig(config: RlaifConfigInput): RlaifConfigInput {
  return config;
}
