import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, PluginContext, Task } from '@rlaif/core';
import { PluginError } from '@rlaif/core';
import { gemini } from '../src/index.js';
import type { GeminiTeacherSettings } from '../src/index.js';
import type { FakeGemini } from './fake-gemini-server.js';
import { startFakeGemini } from './fake-gemini-server.js';

const KEY = 'AIzaSyTEST-DO-NOT-LEAK-0123456789abc';
const task: Task = { id: 'add', language: 'cpp', prompt: 'Write int add(int a, int b).', extra: {} };
const reference = { code: 'int add(int a, int b) { return a + b; } // good', source: 'task' as const };
const candidates = [{ code: 'int add(int a, int b) { return a - b; }' }, { code: 'int add(int a, int b) { return a + b; } // good' }];

let server: FakeGemini;
let cacheDir: string;
let logged: string[];

async function teacher(settings: Partial<GeminiTeacherSettings> = {}) {
  const t = gemini({ model: 'gemini-2.5-flash', apiKey: KEY, baseURL: server.url, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 3 }, ...settings });
  const record = (m: string) => void logged.push(m);
  const logger: Logger = { error: record, warn: record, info: record, debug: record };
  const context: PluginContext = { runDir: cacheDir, cacheDir, logger, seed: 1, signal: new AbortController().signal };
  await t.setup?.(context);
  return t;
}

beforeEach(async () => {
  server = await startFakeGemini();
  cacheDir = await mkdtemp(join(tmpdir(), 'rlaif-gemini-'));
  logged = [];
});
afterEach(async () => server.close());

describe('gemini teacher on the wire', () => {
  it('asks for JSON with a responseSchema and maps scores back', async () => {
    const t = await teacher();
    const result = await t.score(task, candidates, reference);
    expect(result.scores.map((s) => s?.overall)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)]);
    expect(result.referenceScore?.overall).toBeCloseTo(0.9);
    const [call] = server.requests;
    expect(call?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(call?.headers['x-goog-api-key']).toBe(KEY);
    expect(call?.json).toMatchObject({
      systemInstruction: { parts: [{ text: expect.stringContaining('grading code') }] },
      generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', required: ['evaluations'] }, thinkingConfig: { thinkingBudget: 0 } },
    });
    expect(JSON.stringify(call?.json)).not.toContain('additionalProperties');
    // Only this request's labels, exactly one evaluation each (two candidates and the reference).
    const evaluations = (call?.json as { generationConfig: { responseSchema: { properties: { evaluations: Record<string, unknown> } } } }).generationConfig.responseSchema.properties.evaluations;
    expect(evaluations).toMatchObject({ type: 'ARRAY', minItems: 3, maxItems: 3, items: { properties: { label: { type: 'STRING', enum: ['A', 'B', 'C'] } } } });
    // 800 fresh + 200 cached input tokens, 150 + 50 thinking output tokens at gemini-2.5-flash prices.
    expect(result.usage).toMatchObject({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 200 });
    expect(result.usage.costUSD).toBeCloseTo((800 * 0.3 + 200 * 0.03 + 200 * 2.5) / 1e6, 9);
  });

  it('leaves thinking on for pro models, with output headroom for it', async () => {
    const t = await teacher({ model: 'gemini-2.5-pro' });
    await t.score(task, candidates, reference);
    const config = server.requests[0]?.json?.['generationConfig'] as Record<string, unknown>;
    expect(config['thinkingConfig']).toBeUndefined();
    expect(config['maxOutputTokens']).toBeGreaterThan(4096);
  });

  it('writes references without a schema', async () => {
    const t = await teacher();
    expect(await t.reference(task)).toEqual({ code: 'int add(int a, int b) { return a + b; }', source: 'teacher' });
    expect((server.requests[0]?.json?.['generationConfig'] as Record<string, unknown>)['responseSchema']).toBeUndefined();
  });

  it('retries RESOURCE_EXHAUSTED (RetryInfo delay), 503, resets and timeouts', async () => {
    const faults = ['rate-limit', 'unavailable', 'reset', 'hang'] as const;
    const t = await teacher({ timeoutMs: 1000, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 5 } });
    // Warm-up call first, so SDK start-up on a loaded machine cannot eat the 1 s timeout.
    await t.reference(task);
    server.fault = (n) => faults[n - 2];
    const result = await t.score(task, candidates, reference);
    expect(result.scores.every((s) => s !== null)).toBe(true);
    expect(server.requests).toHaveLength(6);
  });

  it('repairs malformed and truncated JSON once, with the model turn in the history', async () => {
    for (const fault of ['malformed', 'truncated'] as const) {
      server.requests.length = 0;
      server.fault = (n) => (n % 2 === 1 ? fault : undefined);
      const t = await teacher({ cacheDir: false });
      expect((await t.score(task, candidates, reference)).scores.every((s) => s !== null)).toBe(true);
      const roles = (server.requests[1]?.json?.['contents'] as { role: string }[]).map((c) => c.role);
      expect(roles).toEqual(['user', 'model', 'user']);
    }
  });

  it('leaves candidates null on a safety block or a bad key, without retrying or leaking the key', async () => {
    for (const fault of ['safety', 'bad-key'] as const) {
      server.requests.length = 0;
      server.fault = () => fault;
      const t = await teacher();
      expect((await t.score(task, candidates, reference)).scores).toEqual([null, null]);
      expect(server.requests).toHaveLength(1);
    }
    expect(logged.join('\n')).toMatch(/HTTP 400: API key not valid: \[redacted\]/);
    expect(logged.join('\n')).not.toContain(KEY);
    await expect((await teacher()).reference(task)).rejects.toSatisfy((e: Error) => !`${e.message}${e.stack}`.includes(KEY));
    server.fault = () => undefined;
    await (await teacher()).score(task, candidates, reference);
    for (const file of await readdir(cacheDir, { recursive: true })) {
      if (file.endsWith('.json')) expect(await readFile(join(cacheDir, file), 'utf8')).not.toContain(KEY);
    }
  });

  it('reads GEMINI_API_KEY or GOOGLE_API_KEY and asks for one when missing', async () => {
    await expect(gemini({ model: 'gemini-2.5-flash', env: {} }).reference(task)).rejects.toBeInstanceOf(PluginError);
    const t = gemini({ model: 'gemini-2.5-flash', env: { GOOGLE_API_KEY: 'AIzaFromEnvironment0123456789' }, baseURL: server.url, cacheDir: false });
    await t.reference(task);
    expect(server.requests[0]?.headers['x-goog-api-key']).toBe('AIzaFromEnvironment0123456789');
  });
});
