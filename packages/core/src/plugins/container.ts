/**
 * The run's dependency-injection container. Only the runner touches it: one child container per
 * run, holding the run's parts as plain values under `Symbol.for('rlaif.*')` tokens; plugins never
 * see it. An embedding application or a test replaces any part by passing it in `RunParts`
 * overrides (`prepareRun({ parts })`, `runTraining({ parts })`), without touching the config.
 */
import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { RlaifConfig } from '../config/schema.js';
import type { Backend } from '../contracts/backend.js';
import type { Generator } from '../contracts/generator.js';
import type { MetricsSink } from '../contracts/metrics-sink.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { Teacher } from '../contracts/teacher.js';
import type { Logger } from '../observability/logger.js';
import type { WeightedRewardFn } from '../rewards/combine.js';

/** Injection tokens; use them with `@inject(TOKENS.Teacher)` or `container.resolve(TOKENS.Teacher)`. */
export const TOKENS = {
  Backend: Symbol.for('rlaif.Backend'),
  /** Samples rollouts; default the backend's own generator. */
  Generator: Symbol.for('rlaif.Generator'),
  /** Updates the policy; default the backend's own optimizer. */
  Optimizer: Symbol.for('rlaif.Optimizer'),
  Teacher: Symbol.for('rlaif.Teacher'),
  /** `{ fn: RewardFn, weight: number }[]`. */
  RewardFns: Symbol.for('rlaif.RewardFns'),
  MetricsSinks: Symbol.for('rlaif.MetricsSinks'),
  Config: Symbol.for('rlaif.Config'),
  Logger: Symbol.for('rlaif.Logger'),
  /** Wall clock of the run (`Clock`). */
  Clock: Symbol.for('rlaif.Clock'),
} as const;

/** Wall-clock time as the run measures it. */
export interface Clock {
  /** Seconds from an arbitrary origin; only differences are used. */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() / 1000 };

/** The parts of a run, each of which an embedding application may supply instead of the config's. */
export interface RunParts {
  readonly backend: Backend;
  readonly generator: Generator;
  readonly optimizer: Optimizer;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly sinks: readonly MetricsSink[];
  readonly logger: Logger;
  readonly clock: Clock;
}

const PART_TOKENS: { readonly [K in keyof RunParts]: symbol } = {
  backend: TOKENS.Backend,
  generator: TOKENS.Generator,
  optimizer: TOKENS.Optimizer,
  teacher: TOKENS.Teacher,
  rewards: TOKENS.RewardFns,
  sinks: TOKENS.MetricsSinks,
  logger: TOKENS.Logger,
  clock: TOKENS.Clock,
};

/** What the config resolved to; generator and optimizer come later, from the loaded policy. */
export interface RunBindings {
  readonly backend: Backend;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly sinks: readonly MetricsSink[];
  readonly config: RlaifConfig;
  readonly logger: Logger;
}

/**
 * A fresh child container: the overrides first, then the config's values for every part not
 * overridden (a registration in the child wins over the defaults given later).
 */
export function createRunContainer(bindings: RunBindings, overrides: Partial<RunParts> = {}, parent: DependencyContainer = rootContainer): DependencyContainer {
  const child = parent.createChildContainer();
  for (const [part, value] of Object.entries(overrides)) {
    if (value !== undefined) child.register(PART_TOKENS[part as keyof RunParts], { useValue: value });
  }
  registerDefault(child, TOKENS.Backend, bindings.backend);
  registerDefault(child, TOKENS.Teacher, bindings.teacher);
  registerDefault(child, TOKENS.RewardFns, bindings.rewards);
  registerDefault(child, TOKENS.MetricsSinks, bindings.sinks);
  registerDefault(child, TOKENS.Logger, bindings.logger);
  registerDefault(child, TOKENS.Clock, systemClock);
  child.register(TOKENS.Config, { useValue: bindings.config });
  return child;
}

/** Registers `value` under `token` unless this container already holds one (an override). */
export function registerDefault<T>(container: DependencyContainer, token: InjectionToken<T>, value: T): void {
  if (!container.isRegistered(token, false)) container.register(token, { useValue: value });
}
