import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate.js';
import { silentLogger } from '../observability/logger.js';
import { createRunContainer, registerDefault, TOKENS } from './container.js';
import type { RunBindings } from './container.js';

const bindings = (name: string): RunBindings =>
  ({
    backend: { name: `backend-${name}` },
    teacher: { name: `teacher-${name}` },
    rewards: [{ fn: { name: 'ratio' }, weight: 1 }],
    sinks: [],
    config: validateConfig({}),
    logger: silentLogger,
  }) as unknown as RunBindings;

describe('createRunContainer', () => {
  it('registers the run values under Symbol.for tokens', () => {
    const run = bindings('a');
    const container = createRunContainer(run);
    expect(TOKENS.Teacher).toBe(Symbol.for('rlaif.Teacher'));
    expect(container.resolve(TOKENS.Backend)).toBe(run.backend);
    expect(container.resolve(TOKENS.Teacher)).toBe(run.teacher);
    expect(container.resolve(TOKENS.RewardFns)).toBe(run.rewards);
    expect(container.resolve(TOKENS.MetricsSinks)).toBe(run.sinks);
    expect(container.resolve(TOKENS.Config)).toBe(run.config);
    expect(container.resolve(TOKENS.Logger)).toBe(run.logger);
  });

  it('keeps runs apart: one child container each', () => {
    const first = createRunContainer(bindings('a'));
    const second = createRunContainer(bindings('b'));
    expect(first.resolve<{ name: string }>(TOKENS.Teacher).name).toBe('teacher-a');
    expect(second.resolve<{ name: string }>(TOKENS.Teacher).name).toBe('teacher-b');
  });

  it('takes overrides before the config\'s values, and keeps later defaults from replacing them', () => {
    const teacher = { name: 'embedded-teacher' };
    const clock = { now: () => 7 };
    const container = createRunContainer(bindings('a'), { teacher: teacher as never, clock });
    expect(container.resolve(TOKENS.Teacher)).toBe(teacher);
    expect(container.resolve(TOKENS.Clock)).toBe(clock);
    const generator = { name: 'remote' };
    const withGenerator = createRunContainer(bindings('c'), { generator: generator as never });
    registerDefault(withGenerator, TOKENS.Generator, { name: 'backend-own' });
    expect(withGenerator.resolve(TOKENS.Generator)).toBe(generator);
    const plain = createRunContainer(bindings('d'));
    registerDefault(plain, TOKENS.Generator, { name: 'backend-own' });
    expect(plain.resolve<{ name: string }>(TOKENS.Generator).name).toBe('backend-own');
  });
});
