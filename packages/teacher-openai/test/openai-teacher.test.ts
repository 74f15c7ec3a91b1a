import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, PluginContext, Task } from '@rlaif/core';
import { PluginError, RunStoppedError } from '@rlaif/core';
import { openai } from '../src/index.js';
import type { OpenAITeacherSettings } from '../src/index.js';
import type { FakeOpenAI } from './fake-openai-server.js';
import { startFakeOpenAI } from './fake-openai-server.js';

const KEY = 'sk-test-DO-NOT-LEAK-0123456789abcdef';
const task: Task = { id: 'add', language: 'python', prompt: 'Write add(a, b).', extra: {} };
const reference = { code: 'def add(a, b):\n    return a + b  # good', source: 'task' as const };
const candidates = [{ code: 'def add(a, b): return a - b' }, { code: 'def add(a, b):\n    return a + b  # good' }];

let server: FakeOpenAI;
let cacheDir: string;
let logged: string[];

function context(): PluginContext {
  const record = (m: string) => void logged.push(m);
  const logger: Logger = { error: record, warn: record, info: record, debug: record };
  return { runDir: cacheDir, cacheDir, logger, seed: 1, signal: new AbortController().signal };
}

async function teacher(settings: Partial<OpenAITeacherSettings> = {}) {
  const t = openai({ model: 'gpt-4o-mini', apiKey: KEY, baseURL: server.url, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 3 }, ...settings });
  await t.setup?.(context());
  return t;
}

const chatCalls = () => server.requests.filter((r) => r.path === '/v1/chat/completions');

beforeEach(async () => {
  server = await startFakeOpenAI();
  cacheDir = await mkdtemp(join(tmpdir(), 'rlaif-openai-'));
  logged = [];
});
afterEach(async () => server.close());

describe('openai teacher on the wire', () => {
  it('sends one listwise chat request with a strict JSON schema and maps scores back', async () => {
    const t = await teacher();
    const result = await t.score(task, candidates, reference);
    expect(result.scores.map((s) => s?.overall)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)]);
    expect(result.referenceScore?.overall).toBeCloseTo(0.9);
    const [call] = chatCalls();
    expect(call?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.json).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0,
      max_tokens: expect.any(Number),
      response_format: { type: 'json_schema', json_schema: { name: 'submit_evaluations', strict: true } },
    });
    // Strict mode enforces enum and minItems/maxItems: only this request's labels, one evaluation each.
    const schema = (call?.json?.['response_format'] as { json_schema: { schema: { properties: { evaluations: Record<string, unknown> } } } }).json_schema.schema;
    expect(schema.properties.evaluations).toMatchObject({ minItems: 3, maxItems: 3, items: { properties: { label: { type: 'string', enum: ['A', 'B', 'C'] } } } });
    const messages = call?.json?.['messages'] as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]?.content).toMatch(/Submission A:[\s\S]*Submission B:[\s\S]*Submission C:/);
    expect(result.usage.requests).toBe(1);
    expect(result.usage.costUSD).toBeGreaterThan(0);
  });

  it('writes a reference without response_format and caches it per task', async () => {
    const t = await teacher();
    const ref = await t.reference(task);
    await t.reference({ ...task, id: 'again' });
    expect(ref.code).toContain('def solve(a, b):');
    expect(chatCalls()).toHaveLength(1);
    expect(chatCalls()[0]?.json?.['response_format']).toBeUndefined();
  });

  it('retries 429 (retry-after-ms), 503, connection resets and timeouts, then succeeds', async () => {
    const faults = ['rate-limit', 'overloaded', 'reset', 'hang'] as const;
    const t = await teacher({ timeoutMs: 1000, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 5 } });
    // Warm-up call first, so SDK start-up on a loaded machine cannot eat the 1 s timeout.
    await t.reference(task);
    server.fault = (n) => faults[n - 2];
    const result = await t.score(task, candidates, reference);
    expect(result.scores.every((s) => s !== null)).toBe(true);
    expect(chatCalls()).toHaveLength(6);
  });

  it('repairs malformed and truncated output with one follow-up carrying the parse error', async () => {
    for (const fault of ['malformed', 'truncated'] as const) {
      server.requests.length = 0;
      server.fault = (n) => (n % 2 === 1 ? fault : undefined);
      const t = await teacher({ cacheDir: false });
      const result = await t.score(task, candidates, reference);
      expect(result.scores.every((s) => s !== null)).toBe(true);
      const repair = chatCalls()[1]?.json?.['messages'] as { role: string; content: string }[];
      expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(repair[3]?.content).toMatch(/could not be used/);
      expect(result.usage.requests).toBe(2);
    }
  });

  it('leaves candidates unscored on a refusal, without retrying', async () => {
    server.fault = () => 'refusal';
    const t = await teacher();
    const result = await t.score(task, candidates, reference);
    expect(result).toMatchObject({ scores: [null, null], referenceScore: null });
    expect(chatCalls()).toHaveLength(1);
  });

  it('falls back to json_object when the server rejects json_schema', async () => {
    server.fault = () => 'no-json-schema';
    const t = await teacher();
    const result = await t.score(task, candidates, reference);
    expect(result.scores.every((s) => s !== null)).toBe(true);
    expect(chatCalls().map((c) => (c.json?.['response_format'] as { type: string }).type)).toEqual(['json_schema', 'json_object']);
  });

  it('does not retry 401 or an exhausted quota, and never leaks the key', async () => {
    for (const fault of ['unauthorized', 'quota'] as const) {
      server.requests.length = 0;
      server.fault = () => fault;
      const t = await teacher();
      const result = await t.score(task, candidates, reference);
      expect(result.scores).toEqual([null, null]);
      expect(chatCalls()).toHaveLength(1);
      await expect(t.reference(task)).rejects.toSatisfy((e: Error) => !e.message.includes(KEY) && !String(e.stack).includes(KEY));
    }
    expect(logged.join('\n')).toMatch(/HTTP 401/);
    expect(logged.join('\n')).not.toContain(KEY);
    server.fault = () => undefined;
    await (await teacher()).score(task, candidates, reference);
    for (const file of await readdir(cacheDir, { recursive: true })) {
      if (file.endsWith('.json')) expect(await readFile(join(cacheDir, file), 'utf8')).not.toContain(KEY);
    }
  });

  it('answers reruns from the disk cache and stops at maxCostUSD', async () => {
    await (await teacher()).score(task, candidates, reference);
    const rerun = await teacher();
    const again = await rerun.score(task, candidates, reference);
    expect(again.usage.cacheHits).toBe(1);
    expect(chatCalls()).toHaveLength(1);
    const capped = await teacher({ cacheDir: false, maxCostUSD: 1e-9 });
    await capped.score(task, candidates, reference);
    await expect(capped.score(task, [{ code: 'other' }], reference)).rejects.toBeInstanceOf(RunStoppedError);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    server.latencyMs = 20;
    const t = await teacher({ maxConcurrency: 3 });
    const tasks = Array.from({ length: 12 }, (_, i) => ({ ...task, id: `c${i}`, prompt: `Write add number ${i}.` }));
    const results = await Promise.all(tasks.map((tk) => t.score(tk, candidates, reference)));
    expect(results.every((r) => r.scores.every((s) => s !== null))).toBe(true);
    expect(server.maxInFlight).toBe(3);
  });

  it('gives reasoning models an effort and output headroom instead of a temperature', async () => {
    const t = await teacher({ model: 'gpt-5-mini', maxTokensField: 'max_completion_tokens' });
    await t.score(task, candidates, reference);
    const body = chatCalls()[0]?.json ?? {};
    expect(body).toMatchObject({ model: 'gpt-5-mini', reasoning_effort: 'low' });
    expect(body['temperature']).toBeUndefined();
    expect(body['max_completion_tokens']).toBeGreaterThan(4000);
  });

  it('asks for a key when none is configured for api.openai.com', async () => {
    const t = openai({ model: 'gpt-4o-mini', env: {}, retry: { maxRetries: 0 } });
    await expect(t.reference(task)).rejects.toBeInstanceOf(PluginError);
  });
});

describe('openai batch API', () => {
  it('uploads a JSONL file, creates a batch, polls it and bills at the batch price', async () => {
    const direct = await teacher({ cacheDir: false });
    const directCost = (await direct.score(task, candidates, reference)).usage.costUSD;
    server.requests.length = 0;
    const t = await teacher({ batchPollIntervalMs: 5 });
    const tasks = [task, { ...task, id: 'two', prompt: 'Write add(a, b) again.' }];
    const results = await t.scoreBatch(tasks.map((tk) => ({ task: tk, candidates, reference })));
    expect(results.map((r) => r.scores.map((s) => s?.overall))).toEqual([
      [expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)],
      [expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)],
    ]);
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.slice(0, 2)).toEqual(['POST /v1/files', 'POST /v1/batches']);
    expect(paths).toContain('GET /v1/files/batch_1-out/content');
    expect(chatCalls()).toHaveLength(0);
    expect(server.requests[1]?.json).toMatchObject({ endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(results[0]?.usage.costUSD).toBeCloseTo(directCost / 2, 9);
  });

  it('scores directly when the batch job fails or expires', async () => {
    server.batchOutcome = 'expired';
    const t = await teacher({ batchPollIntervalMs: 5 });
    const [result] = await t.scoreBatch([{ task, candidates, reference }]);
    expect(result?.scores.map((s) => s?.overall)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)]);
    expect(chatCalls()).toHaveLength(1);
    expect(logged.join('\n')).toMatch(/batch failed, scoring 1 requests directly/);
  });

  it('resumes a submitted batch after a restart instead of submitting again', async () => {
    const controller = new AbortController();
    const first = await teacher({ batchPollIntervalMs: 20 });
    server.fault = () => undefined;
    const requests = [{ task, candidates, reference }];
    const pending = first.scoreBatch(requests, { signal: controller.signal });
    // Once the first poll arrives, the batch id has been persisted.
    while (!server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/batches/'))) await new Promise((r) => setTimeout(r, 2));
    controller.abort(new Error('killed'));
    await expect(pending).rejects.toThrow('killed');
    const second = await teacher({ batchPollIntervalMs: 5 });
    const [result] = await second.scoreBatch(requests);
    expect(result?.scores.every((s) => s !== null)).toBe(true);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches')).toHaveLength(1);
  });
});
