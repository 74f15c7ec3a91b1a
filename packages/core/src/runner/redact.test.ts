import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('hides secret-looking keys at any depth and keeps counts whose names mention tokens', () => {
    const config = {
      teacher: { use: '@rlaif/teacher-claude', apiKey: 'sk-ant-abc', headers: { Authorization: 'Bearer x' } },
      huggingface: { token: 'hf_abc', pushModel: 'merged' },
      rlaif: { maxNewTokens: 72, temperature: 1.3 },
      logging: { clientSecret: { nested: 'x' }, tokenCounting: true },
    };
    expect(redactSecrets(config)).toEqual({
      teacher: { use: '@rlaif/teacher-claude', apiKey: '[redacted]', headers: { Authorization: '[redacted]' } },
      huggingface: { token: '[redacted]', pushModel: 'merged' },
      rlaif: { maxNewTokens: 72, temperature: 1.3 },
      logging: { clientSecret: '[redacted]', tokenCounting: true },
    });
  });

  it('reduces plugin objects to their kind and name, and drops functions', () => {
    const plugin = { kind: 'reward', specificationVersion: 'v1', name: 'custom', score: () => 1, apiKey: 'k' };
    expect(redactSecrets({ rewards: [plugin], hook: () => 0 })).toEqual({ rewards: [{ kind: 'reward', name: 'custom' }] });
  });
});
