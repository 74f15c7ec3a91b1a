import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, PluginContext, Task } from '@rlaif/core';
import { PluginError } from '@rlaif/core';
import { anthropic } from '../src/index.js';
import type { AnthropicTeacherSettings } from '../src/index.js';
import type { FakeAnthropic } from './fake-anthropic-server.js';
import { startFakeAnthropic } from './fake-anthropic-server.js';

const KEY = 'sk-ant-test-DO-NOT-LEAK-0123456789';
const task: Task = { id: 'add', language: 'rust', prompt: 'Write fn add(a: i32, b: i32) -> i32.', extra: {} };
const reference = { code: 'fn add(a: i32, b: i32) -> i32 { a + b } // good', source: 'task' as const };
const candidates = [{ code: 'fn add(a: i32, b: i32) -> i32 { a - b }' }, { code: 'fn add(a: i32, b: i32) -> i32 { a + b } // good' }];

let server: FakeAnthropic;
let cacheDir: string;
let logged: string[];

async function teacher(settings: Partial<AnthropicTeacherSettings> = {}) {
  const t = anthropic({ model: 'claude-sonnet-4-6', apiKey: KEY, baseURL: server.url, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 3 }, ...settings });
  const record = (m: string) => void logged.push(m);
  const logger: Logger = { error: record, warn: record, info: record, debug: record };
  const context: PluginContext = { runDir: cacheDir, cacheDir, logger, seed: 1, signal: new AbortController().signal };
  await t.setup?.(context);
  return t;
}

const messageCalls = () => server.requests.filter((r) => r.path === '/v1/messages');

beforeEach(async () => {
  server = await startFakeAnthropic();
  cacheDir = await mkdtemp(join(tmpdir(), 'rlaif-anthropic-'));
  logged = [];
});
afterEach(async () => server.close());

describe('anthropic teacher on the wire', () => {
  it('forces the evaluation tool, marks the rubric prefix for caching and maps scores back', async () => {
    const t = await teacher();
    const result = await t.score(task, candidates, reference);
    expect(result.scores.map((s) => s?.overall)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)]);
    expect(result.referenceScore?.overall).toBeCloseTo(0.9);
    const [call] = messageCalls();
    // SDK 1.x sends the key as a bearer token (older SDKs used x-api-key; the API accepts both).
    expect(call?.headers['authorization'] ?? `Bearer ${String(call?.headers['x-api-key'])}`).toBe(`Bearer ${KEY}`);
    expect(call?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(call?.json).toMatchObject({
      model: 'claude-sonnet-4-6',
      tool_choice: { type: 'tool', name: 'submit_evaluations' },
      tools: [{ name: 'submit_evaluations', cache_control: { type: 'ephemeral' }, input_schema: { type: 'object' } }],
      system: [{ type: 'text', cache_control: { type: 'ephemeral' } }],
    });
    const schema = (call?.json?.['tools'] as { input_schema: { properties: { evaluations: Record<string, unknown> } } }[])[0]?.input_schema;
    expect(schema?.properties.evaluations).toMatchObject({ minItems: 3, maxItems: 3, items: { properties: { label: { type: 'string', enum: ['A', 'B', 'C'] } } } });
    // Cached prompt tokens are billed at 10% of the input price: 500·3 + 300·0.3 + 200·15 per million.
    expect(result.usage).toMatchObject({ inputTokens: 800, cachedInputTokens: 300, outputTokens: 200 });
    expect(result.usage.costUSD).toBeCloseTo((500 * 3 + 300 * 0.3 + 200 * 15) / 1e6, 9);
  });

  it('writes references as plain text and reuses them', async () => {
    const t = await teacher();
    expect((await t.reference(task)).code).toBe('def solve(a, b):\n    return a + b');
    await t.reference(task);
    expect(messageCalls()).toHaveLength(1);
    expect(messageCalls()[0]?.json?.['tools']).toBeUndefined();
  });

  it('retries 429 with an HTTP-date retry-after, 529, resets and timeouts', async () => {
    const faults = ['rate-limit', 'overloaded', 'reset', 'hang'] as const;
    const t = await teacher({ timeoutMs: 1000, retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 5 } });
    // Warm-up call first, so SDK start-up on a loaded machine cannot eat the 1 s timeout.
    await t.reference(task);
    server.fault = (n) => faults[n - 2];
    const result = await t.score(task, candidates, reference);
    expect(result.scores.every((s) => s !== null)).toBe(true);
    expect(messageCalls()).toHaveLength(6);
  });

  it('repairs malformed tool input and truncated text once', async () => {
    for (const fault of ['malformed', 'truncated'] as const) {
      server.requests.length = 0;
      server.fault = (n) => (n % 2 === 1 ? fault : undefined);
      const t = await teacher({ cacheDir: false });
      const result = await t.score(task, candidates, reference);
      expect(result.scores.every((s) => s !== null)).toBe(true);
      const roles = (messageCalls()[1]?.json?.['messages'] as { role: string }[]).map((m) => m.role);
      expect(roles).toEqual(['user', 'assistant', 'user']);
    }
  });

  it('leaves candidates null on a refusal, 401 or billing error, without retrying, and never leaks the key', async () => {
    for (const fault of ['refusal', 'unauthorized', 'billing'] as const) {
      server.requests.length = 0;
      server.fault = () => fault;
      const t = await teacher();
      expect((await t.score(task, candidates, reference)).scores).toEqual([null, null]);
      expect(messageCalls()).toHaveLength(1);
    }
    expect(logged.join('\n')).toMatch(/HTTP 401[\s\S]*credit balance/);
    expect(logged.join('\n')).not.toContain(KEY);
    server.fault = () => 'unauthorized';
    await expect((await teacher()).reference(task)).rejects.toSatisfy((e: Error) => !`${e.message}${e.stack}${String(e.cause)}`.includes(KEY));
    server.fault = () => undefined;
    await (await teacher()).score(task, candidates, reference);
    for (const file of await readdir(cacheDir, { recursive: true })) {
      if (file.endsWith('.json')) expect(await readFile(join(cacheDir, file), 'utf8')).not.toContain(KEY);
    }
  });

  it('needs a key', async () => {
    await expect(anthropic({ model: 'claude-haiku-4-5', env: {} }).reference(task)).rejects.toBeInstanceOf(PluginError);
  });
});

describe('anthropic message batches', () => {
  it('submits one batch, polls, reads JSONL results and scores failed items directly', async () => {
    const t = await teacher({ batchPollIntervalMs: 5 });
    const tasks = [task, { ...task, id: 'two', prompt: 'Write add again.' }];
    const results = await t.scoreBatch(tasks.map((tk) => ({ task: tk, candidates, reference })));
    for (const r of results) expect(r.scores.map((s) => s?.overall)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.9, 6)]);
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths[0]).toBe('POST /v1/messages/batches');
    expect(paths).toContain('GET /v1/messages/batches/msgbatch_1/results');
    // The second item errored inside the batch and was scored by one direct call.
    expect(messageCalls()).toHaveLength(1);
    expect(results[0]?.usage.costUSD).toBeCloseTo((500 * 3 + 300 * 0.3 + 200 * 15) / 2e6, 9);
    expect(await readdir(join(cacheDir, 'teacher-responses', 'anthropic', 'batches'))).toEqual([]);
  });
});
