import { describe, expect, it } from 'vitest';
import { evaluationSettings, toSamplingParams } from './specs.js';
import { validateConfig } from './validate.js';

describe('evaluationSettings', () => {
  it('samples evaluations at the rollout temperature unless rlaif.evalTemperature is set', () => {
    const same = validateConfig({ rlaif: { temperature: 1.3 } });
    expect(evaluationSettings(same, 10).sampling.temperature).toBe(1.3);

    const own = validateConfig({ rlaif: { temperature: 1.3, evalTemperature: 1 } });
    expect(evaluationSettings(own, 10).sampling.temperature).toBe(1);
    // The rollouts keep their own temperature: only evaluations are judged at evalTemperature.
    expect(toSamplingParams(own).temperature).toBe(1.3);
  });

  it('lets an explicit override (rlaif validate --temperature) win over both, 0 included', () => {
    const config = validateConfig({ rlaif: { temperature: 1.3, evalTemperature: 1 } });
    expect(evaluationSettings(config, 10, { temperature: 0.5 }).sampling.temperature).toBe(0.5);
    expect(evaluationSettings(config, 10, { temperature: 0 }).sampling.temperature).toBe(0);
  });

  it('takes the other sampling settings and the sample count from the config', () => {
    const config = validateConfig({ rlaif: { numSamplesPerPrompt: 8, evalSamplesPerPrompt: 3, topP: 0.9, maxNewTokens: 40, evalTemperature: 0.7 } });
    const settings = evaluationSettings(config, 10);
    expect(settings.samplesPerTask).toBe(3);
    expect(settings.sampling).toMatchObject({ temperature: 0.7, topP: 0.9, maxNewTokens: 40, seed: config.training.seed });
    expect(evaluationSettings(config, 10, { samplesPerTask: 5 }).samplesPerTask).toBe(5);
  });

  it('rejects a negative evaluation temperature, naming the key', () => {
    expect(() => validateConfig({ rlaif: { evalTemperature: -1 } })).toThrow(/rlaif\.evalTemperature/);
  });
});
