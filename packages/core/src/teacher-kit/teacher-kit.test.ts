import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../contracts/task.js';
import { RunStoppedError, TeacherError } from '../errors/rlaif-error.js';
import { silentLogger } from '../observability/logger.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { parseRetryAfter, redact, teacherErrorFromHttp } from './http-errors.js';
import { extractJson, JudgementParseError, parseJudgement } from './judgement-parser.js';
import { createLlmTeacher } from './llm-teacher.js';
import type { ProviderAdapter, ProviderRequest, ProviderResponse } from './provider.js';
import { findPrice } from './pricing.js';
import { parseReset, RateLimiter } from './rate-limit.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, withRetry } from './retry.js';
import { DEFAULT_WEIGHTS, resolveWeights } from './rubric.js';

const task: Task = { id: 't1', language: 'python', prompt: 'Add two numbers.', extra: {} };
const usage = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0 };

function evaluation(label: string, score: number): Record<string, unknown> {
  const c = { score, rationale: `r${score}` };
  return { label, correctness: c, quality: c, efficiency: c, documentation: c };
}

/** Answers every score request with score = 10 for the code `good` and 2 otherwise. */
function judgeReply(request: ProviderRequest): string {
  const text = request.messages[0]?.content ?? '';
  const evaluations = [...text.matchAll(/Submission ([A-Z]+):\n```python\n([\s\S]*?)\n```/g)].map((m) => evaluation(m[1] ?? '', m[2] === 'good' ? 10 : 2));
  return JSON.stringify({ evaluations });
}

function fakeAdapter(reply: (request: ProviderRequest, call: number) => ProviderResponse | Promise<ProviderResponse>): ProviderAdapter & { calls: ProviderRequest[] } {
  const calls: ProviderRequest[] = [];
  return { provider: 'openai', model: 'gpt-4o-mini', calls, complete: async (request) => reply(request, calls.push(request)) };
}

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2 } };

describe('judgement parser', () => {
  it('reads fenced JSON followed by prose and computes the weighted mean', () => {
    const text = 'Here you go:\n```json\n' + JSON.stringify({ evaluations: [evaluation('A', 10), { ...evaluation('B', 5), correctness: { score: 0, rationale: 'wrong' } }] }) + '\n```\nThanks!';
    const parsed = parseJudgement(text, ['A', 'B'], DEFAULT_WEIGHTS);
    expect(parsed.problems).toEqual([]);
    expect(parsed.scores.get('A')?.overall).toBeCloseTo(1);
    expect(parsed.scores.get('B')?.overall).toBeCloseTo(0.7 * 0.5);
    expect(parsed.scores.get('B')?.evidence).toContain('correctness 0/10: wrong');
  });
  it('finds a balanced object in trailing text and rejects truncated JSON', () => {
    expect(extractJson('noise {"a": "}"} more')).toEqual({ a: '}' });
    expect(() => extractJson('{"evaluations": [')).toThrow(JudgementParseError);
  });
  it('reports out-of-range and missing labels as problems', () => {
    const parsed = parseJudgement({ evaluations: [evaluation('A', 11)] }, ['A', 'B'], DEFAULT_WEIGHTS);
    expect(parsed.scores.size).toBe(0);
    expect(parsed.problems.join()).toMatch(/outside 0\.\.10.*B: missing/);
  });
  it('validates weights', () => {
    expect(() => resolveWeights({ correctness: -1 })).toThrow(/teacher\.weights\.correctness/);
    expect(resolveWeights({ correctness: 1 }).correctness).toBe(1);
  });
});

describe('resilience primitives', () => {
  it('parses retry-after in seconds, ms and HTTP dates, and reset durations', () => {
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '150', 'retry-after': '9' })).toBe(150);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6000);
    expect(parseReset('6m0s')).toBe(360_000);
    expect(parseReset('20ms')).toBe(20);
    expect(parseReset('1.5s')).toBe(1500);
  });
  it('uses full jitter but never waits less than retry-after', () => {
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, undefined, () => 0.5)).toBe(4000);
    expect(backoffDelay(0, DEFAULT_RETRY_POLICY, 5000, () => 0.1)).toBe(5000);
  });
  it('retries 429 and 5xx but not 401 or spend limits', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3) throw teacherErrorFromHttp({ provider: 'p', status: calls === 1 ? 429 : 503, message: 'busy', secrets: [] });
      return Promise.resolve('ok');
    };
    await expect(withRetry('p', flaky, { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 }, undefined)).resolves.toBe('ok');
    for (const failure of [{ status: 401 }, { status: 429, spendLimit: true }]) {
      let n = 0;
      const fail = () => {
        n++;
        throw teacherErrorFromHttp({ provider: 'p', message: 'no', secrets: [], ...failure });
      };
      await expect(withRetry('p', fail, { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 }, undefined)).rejects.toBeInstanceOf(TeacherError);
      expect(n).toBe(1);
    }
  });
  it('times out a hung attempt and retries it', async () => {
    let n = 0;
    const attempt = (signal: AbortSignal) => (++n === 1 ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) : Promise.resolve('second'));
    await expect(withRetry('p', attempt, { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, timeoutMs: 30 }, undefined)).resolves.toBe('second');
  });
  it('opens the circuit after K failures and half-opens after the cool-down', () => {
    let now = 0;
    const breaker = new CircuitBreaker('p', 2, 100, () => now);
    breaker.failure();
    breaker.before();
    breaker.failure();
    expect(() => breaker.before()).toThrow(/circuit open/);
    now = 150;
    expect(breaker.current()).toBe('half-open');
    breaker.before();
    expect(() => breaker.before()).toThrow(/circuit open/);
    breaker.success();
    expect(breaker.current()).toBe('closed');
  });
  it('limits concurrency and pauses on exhausted rate-limit headers', async () => {
    const limiter = new RateLimiter({ maxConcurrency: 2 });
    const a = await limiter.acquire(10);
    await limiter.acquire(10);
    let third = false;
    const pending = limiter.acquire(10).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    a();
    await pending;
    expect(limiter.inFlight()).toBe(2);
    const paused = new RateLimiter({ maxConcurrency: 5 });
    paused.observe({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60ms' });
    const start = Date.now();
    await paused.acquire(1);
    expect(Date.now() - start).toBeGreaterThanOrEqual(50);
  });
  it('learns the token rate from anthropic-ratelimit-* headers and pauses at their reset time', async () => {
    let now = 0;
    const limiter = new RateLimiter({ maxConcurrency: 4 }, () => now);
    limiter.observe({ 'anthropic-ratelimit-input-tokens-limit': '6000', 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': new Date(500).toISOString() });
    let admitted = false;
    const pending = limiter.acquire(100).then(() => (admitted = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(admitted).toBe(false);
    // Past the reset, and long enough for the 6000/min bucket to refill the 100 tokens asked for.
    now = 2000;
    await pending;
    expect(admitted).toBe(true);
  });

  it('prices models by their longest known prefix and honours overrides', () => {
    expect(findPrice('anthropic', 'claude-opus-4-1-20250805')?.input).toBe(15);
    expect(findPrice('anthropic', 'claude-opus-5-5')?.input).toBe(5);
    expect(findPrice('openai', 'gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
    expect(findPrice('openai', 'my-local-model')).toBeUndefined();
    expect(findPrice('openai', 'my-local-model', { 'my-local': { input: 0, output: 0, cachedInput: 0 } })?.output).toBe(0);
  });

  it('redacts keys', () => {
    expect(redact('bad key sk-ant-abcdefghijklmnopqrstuv and mysecretvalue', ['mysecretvalue'])).toBe('bad key [redacted] and [redacted]');
  });
});

describe('createLlmTeacher', () => {
  it('scores listwise in one request with the reference, shuffled and anonymous', async () => {
    const adapter = fakeAdapter((request) => ({ text: judgeReply(request), usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    const result = await teacher.score(task, [{ code: 'bad1' }, { code: 'good' }, { code: 'bad2' }], { code: 'good', source: 'task' });
    expect(adapter.calls).toHaveLength(1);
    expect(result.scores.map((s) => s?.overall)).toEqual([0.2, 1, 0.2].map((x) => expect.closeTo(x, 6)));
    expect(result.referenceScore?.overall).toBeCloseTo(1);
    expect(adapter.calls[0]?.messages[0]?.content).not.toMatch(/reference/i);
    expect(result.usage.costUSD).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6);
  });

  it('repairs a malformed reply once, then leaves unparseable candidates null', async () => {
    const adapter = fakeAdapter((request, call) => ({ text: call === 1 ? 'I think {"evaluations": [' : judgeReply(request), usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    const result = await teacher.score(task, [{ code: 'good' }], { code: 'bad', source: 'task' });
    expect(adapter.calls).toHaveLength(2);
    expect(adapter.calls[1]?.messages.at(-1)?.content).toMatch(/truncated/);
    expect(result.scores[0]?.overall).toBeCloseTo(1);
    const broken = fakeAdapter(() => ({ text: 'no json here', usage }));
    const stubborn = createLlmTeacher({ name: 'fake', adapter: broken, options: { ...fast, cacheDir: false }, secrets: [] });
    const nulls = await stubborn.score(task, [{ code: 'good' }], { code: 'bad', source: 'task' });
    expect(nulls.scores).toEqual([null]);
    expect(broken.calls).toHaveLength(2);
  });

  it('gives every unscored candidate its reason', async () => {
    const broken = fakeAdapter(() => ({ text: 'no json here', usage }));
    const stubborn = createLlmTeacher({ name: 'fake', adapter: broken, options: { ...fast, cacheDir: false }, secrets: [] });
    const result = await stubborn.score(task, [{ code: 'good' }, { code: 'bad' }], null);
    expect(result.reasons).toEqual([0, 1].map(() => expect.stringMatching(/^judge reply unusable after repair: no JSON object found/)));
    const refusing = fakeAdapter(() => ({ text: '', refusal: 'cannot help', usage }));
    const refused = await createLlmTeacher({ name: 'fake', adapter: refusing, options: { ...fast, cacheDir: false }, secrets: [] }).score(task, [{ code: 'good' }], null);
    expect(refused.reasons).toEqual(['judge refused: cannot help']);
    const ok = fakeAdapter((request) => ({ text: judgeReply(request), usage }));
    const scored = await createLlmTeacher({ name: 'fake', adapter: ok, options: { ...fast, cacheDir: false }, secrets: [] }).score(task, [{ code: 'good' }], null);
    expect(scored.reasons).toEqual([null]);
  });

  it("constrains the reply schema to this request's labels and count, and scores without a reference", async () => {
    const adapter = fakeAdapter((request) => ({ text: judgeReply(request), usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    await teacher.score(task, [{ code: 'good' }, { code: 'bad' }], { code: 'good', source: 'task' });
    const evaluations = (adapter.calls[0]?.schema as { properties: { evaluations: Record<string, unknown> } }).properties.evaluations;
    expect(evaluations).toMatchObject({ minItems: 3, maxItems: 3, items: { properties: { label: { type: 'string', enum: ['A', 'B', 'C'] } } } });
    const result = await teacher.score(task, [{ code: 'good' }, { code: 'bad' }], null);
    const labels = (adapter.calls[1]?.schema as { properties: { evaluations: { items: { properties: { label: { enum: string[] } } } } } }).properties.evaluations.items.properties.label.enum;
    expect(labels).toEqual(['A', 'B']);
    expect(adapter.calls[1]?.messages[0]?.content).toMatch(/There are 2 submissions: A, B\./);
    expect(result.referenceScore).toBeNull();
    expect(result.scores.map((s) => s?.overall)).toEqual([1, 0.2].map((x) => expect.closeTo(x, 6)));
  });

  it('rejects a written reference without code, asks once more, and never uses it', async () => {
    const code = '```python\ndef add(a, b):\n    return a + b\n```';
    const replies = ['I am sorry, but I cannot write that solution for you.', code];
    const adapter = fakeAdapter((_request, call) => ({ text: replies[call - 1] ?? '', usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    expect(await teacher.reference(task)).toEqual({ code: 'def add(a, b):\n    return a + b', source: 'teacher' });
    expect(adapter.calls).toHaveLength(2);
    expect(adapter.calls[1]?.messages.at(-1)?.content).toMatch(/contained no code/);

    const prose = fakeAdapter((_request, call) => (call === 1 ? { text: 'Here is how you would do it: add the numbers.', usage } : { text: '', refusal: 'no', usage }));
    const refusing = createLlmTeacher({ name: 'fake', adapter: prose, options: { ...fast, cacheDir: false }, secrets: [] });
    await expect(refusing.reference(task)).rejects.toThrow(/wrote no reference code for task t1 \(asked twice\)/);
    expect(prose.calls).toHaveLength(2);
  });

  it('caches responses on disk across teacher instances and counts hits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlaif-kit-'));
    const make = () => fakeAdapter((request) => ({ text: judgeReply(request), usage }));
    const first = make();
    const a = createLlmTeacher({ name: 'fake', adapter: first, options: fast, secrets: ['sk-secret-key-123'] });
    await a.setup?.({ runDir: dir, cacheDir: dir, logger: silentLogger, seed: 7, signal: new AbortController().signal });
    await a.score(task, [{ code: 'good' }], { code: 'bad', source: 'task' });
    const second = make();
    const b = createLlmTeacher({ name: 'fake', adapter: second, options: fast, secrets: ['sk-secret-key-123'] });
    await b.setup?.({ runDir: dir, cacheDir: dir, logger: silentLogger, seed: 7, signal: new AbortController().signal });
    const again = await b.score(task, [{ code: 'good' }], { code: 'bad', source: 'task' });
    expect(second.calls).toHaveLength(0);
    expect(again.usage.cacheHits).toBe(1);
    expect(b.usage()).toMatchObject({ cacheHits: 1, requests: 0 });
    const files = await readdir(join(dir, 'teacher-responses', 'openai'), { recursive: true });
    expect(files.some((f) => f.endsWith('.json'))).toBe(true);
  });

  it('writes and caches references per task, using the task reference when present', async () => {
    const adapter = fakeAdapter(() => ({ text: 'Sure:\n```python\ndef add(a, b):\n    return a + b\n```', usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    const [r1, r2] = await Promise.all([teacher.reference(task), teacher.reference({ ...task, id: 'same-content' })]);
    expect(r1).toEqual({ code: 'def add(a, b):\n    return a + b', source: 'teacher' });
    expect(r2).toBe(r1);
    expect(adapter.calls).toHaveLength(1);
    expect(await teacher.reference({ ...task, reference: 'x = 1' })).toEqual({ code: 'x = 1', source: 'task' });
  });

  it('stops with RunStoppedError once maxCostUSD is reached', async () => {
    const adapter = fakeAdapter((request) => ({ text: judgeReply(request), usage: { ...usage, inputTokens: 1_000_000 } }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false, maxCostUSD: 0.1 }, secrets: [] });
    await teacher.score(task, [{ code: 'a' }], { code: 'b', source: 'task' });
    await expect(teacher.score(task, [{ code: 'c' }], { code: 'b', source: 'task' })).rejects.toSatisfy((e) => e instanceof RunStoppedError && e.reason === 'budget');
  });

  it('turns exhausted retries into null scores and estimates cost', async () => {
    const adapter = fakeAdapter(() => {
      throw teacherErrorFromHttp({ provider: 'openai', status: 503, message: 'down', secrets: [] });
    });
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false }, secrets: [] });
    const result = await teacher.score(task, [{ code: 'a' }, { code: 'b' }], { code: 'c', source: 'task' });
    expect(result).toMatchObject({ scores: [null, null], referenceScore: null });
    expect(adapter.calls).toHaveLength(3);
    const estimate = teacher.estimate(task, 4);
    expect(estimate.requests).toBe(2);
    expect(estimate.costUSD).toBeGreaterThan(0);
  });

  it('fails fast once the circuit is open, without calling the provider', async () => {
    const adapter = fakeAdapter(() => {
      throw teacherErrorFromHttp({ provider: 'openai', status: 529, message: 'overloaded', secrets: [] });
    });
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: false, circuitBreakerThreshold: 2 }, secrets: [] });
    for (const code of ['a', 'b', 'c']) await teacher.score(task, [{ code }], { code: 'r', source: 'task' });
    // Two calls of three attempts each opened the circuit; the third score never reached the provider.
    expect(adapter.calls).toHaveLength(6);
  });

  it('never writes the key into cache files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlaif-kit-'));
    const key = 'sk-test-SECRETSECRETSECRET';
    const adapter = fakeAdapter((request) => ({ text: judgeReply(request), usage }));
    const teacher = createLlmTeacher({ name: 'fake', adapter, options: { ...fast, cacheDir: dir }, secrets: [key] });
    await teacher.score(task, [{ code: 'good' }], { code: 'bad', source: 'task' });
    for (const file of await readdir(dir, { recursive: true })) {
      if (file.endsWith('.json')) expect(await readFile(join(dir, file), 'utf8')).not.toContain(key);
    }
  });
});
