import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '@rlaif/core';
import { silentLogger } from '@rlaif/core';
import { openai } from '../src/index.js';
import type { Fault, FakeOpenAI } from './fake-openai-server.js';
import { startFakeOpenAI } from './fake-openai-server.js';

let server: FakeOpenAI;
beforeAll(async () => (server = await startFakeOpenAI()));
afterAll(async () => server.close());

const FAULTS: readonly Fault[] = ['rate-limit', 'overloaded', 'server-error', 'reset', 'hang', 'malformed', 'truncated', 'refusal'];

it('200 samples under ~20% injected faults end scored or explicitly unscored', async () => {
  // A fixed pseudo-random sequence: the run is reproducible.
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // The first request is a refusal, so at least one group must end explicitly unscored.
  server.fault = (n) => (n === 1 ? 'refusal' : random() < 0.2 ? FAULTS[Math.floor(random() * FAULTS.length)] : undefined);
  const cacheDir = await mkdtemp(join(tmpdir(), 'rlaif-faults-'));
  // Generous timeout: 'hang' faults cost one timeout each, and a loaded CI box must not trip it otherwise.
  const teacher = openai({ model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: server.url, maxConcurrency: 8, timeoutMs: 1000, retry: { baseDelayMs: 1, maxDelayMs: 10, maxRetries: 4 } });
  await teacher.setup?.({ runDir: cacheDir, cacheDir, logger: silentLogger, seed: 3, signal: new AbortController().signal });
  const tasks: Task[] = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, language: 'python', prompt: `Task ${i}: add numbers.`, extra: {} }));
  const results = await Promise.all(
    tasks.map((task, i) => teacher.score(task, [0, 1, 2, 3].map((j) => ({ code: j % 2 === 0 ? `good ${i}.${j}` : `bad ${i}.${j}` })), { code: 'good ref', source: 'task' })),
  );
  const scores = results.flatMap((r) => r.scores);
  expect(scores).toHaveLength(200);
  const scored = scores.filter((s) => s !== null);
  // Only refusals (and the rare double failure) stay unscored; every slot is a Score or null.
  for (const [i, s] of scores.entries()) if (s) expect(s.overall).toBeCloseTo(i % 2 === 0 ? 0.9 : 0.3, 6);
  expect(scored.length).toBeGreaterThan(150);
  expect(scored.length).toBeLessThan(200);
  // One successful request per task at least (repairs add more); failed attempts are not billed.
  expect(teacher.usage().requests).toBeGreaterThanOrEqual(50);
});
