/**
 * The run's dependency-injection container. Only the CLI/runner touches it: one child container per
 * run, holding plain values under `Symbol.for('rlaif.*')` tokens; plugins never see it.
 */
import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import type { DependencyContainer } from 'tsyringe';
import type { RlaifConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import type { ResolvedPlugins } from './resolve.js';

/** Injection tokens; use them with `@inject(TOKENS.Teacher)` or `container.resolve(TOKENS.Teacher)`. */
export const TOKENS = {
  Backend: Symbol.for('rlaif.Backend'),
  Teacher: Symbol.for('rlaif.Teacher'),
  /** `{ fn: RewardFn, weight: number }[]`. */
  RewardFns: Symbol.for('rlaif.RewardFns'),
  MetricsSinks: Symbol.for('rlaif.MetricsSinks'),
  Config: Symbol.for('rlaif.Config'),
  Logger: Symbol.for('rlaif.Logger'),
} as const;

/** Everything one run registers. */
export interface RunBindings extends ResolvedPlugins {
  readonly config: RlaifConfig;
  readonly logger: Logger;
}

/** A fresh child container with the run's plugins, config and logger registered as values. */
export function createRunContainer(bindings: RunBindings, parent: DependencyContainer = rootContainer): DependencyContainer {
  const child = parent.createChildContainer();
  child.register(TOKENS.Backend, { useValue: bindings.backend });
  child.register(TOKENS.Teacher, { useValue: bindings.teacher });
  child.register(TOKENS.RewardFns, { useValue: bindings.rewards });
  child.register(TOKENS.MetricsSinks, { useValue: bindings.sinks });
  child.register(TOKENS.Config, { useValue: bindings.config });
  child.register(TOKENS.Logger, { useValue: bindings.logger });
  return child;
}
