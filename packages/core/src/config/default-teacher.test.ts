import { describe, expect, it } from 'vitest';
import { defaultTeacher } from './default-teacher.js';

describe('defaultTeacher', () => {
  it('prefers Anthropic, then OpenAI, then Gemini, by the keys present', () => {
    expect(defaultTeacher({ ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' }).ref).toBe('@rlaif/teacher-anthropic');
    expect(defaultTeacher({ OPENAI_API_KEY: 'o', GEMINI_API_KEY: 'g' }).ref).toBe('@rlaif/teacher-openai');
    expect(defaultTeacher({ GOOGLE_API_KEY: 'g' })).toEqual({
      ref: '@rlaif/teacher-gemini',
      reason: 'no teacher set in the config and GOOGLE_API_KEY is set',
    });
  });

  it('falls back to the offline exec teacher and says why', () => {
    const choice = defaultTeacher({ ANTHROPIC_API_KEY: '  ', PATH: '/bin' });
    expect(choice.ref).toBe('@rlaif/teacher-exec');
    expect(choice.reason).toMatch(/ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY, GOOGLE_API_KEY/);
  });
});
