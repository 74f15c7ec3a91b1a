/**
 * Teacher overhead benchmark: calls/s of the OpenAI teacher (limiter, retries, breaker, cache,
 * parsing) against a local server with a fixed latency, next to the raw SDK doing the same requests
 * and the ideal `concurrency / latency`. Run from the repo root (core is read from its build):
 *   npx tsc -b packages/teacher-openai && npx jiti packages/teacher-openai/bench/overhead.ts [latencyMs] [calls]
 */
import OpenAI from 'openai';
import type { ProviderRequest, Task } from '@rlaif/core';
import { EVALUATIONS_SCHEMA, EVALUATIONS_SCHEMA_NAME, DEFAULT_WEIGHTS, scoringSystemPrompt, scoringUserPrompt } from '@rlaif/core';
import { chatBody } from '../src/chat-request.js';
import { openai } from '../src/index.js';
import type { FakeOpenAI } from '../test/fake-openai-server.js';
import { startFakeOpenAI } from '../test/fake-openai-server.js';

const latencyMs = Number(process.argv[2] ?? 50);
const calls = Number(process.argv[3] ?? 400);
const tasks: Task[] = Array.from({ length: calls }, (_, i) => ({ id: `t${i}`, language: 'python', prompt: `Task ${i}: add two numbers.`, extra: {} }));
const candidates = [0, 1, 2, 3].map((j) => ({ code: `def add(a, b):\n    return a + b  # ${j % 2 ? 'good' : 'bad'}` }));
const reference = { code: 'def add(a, b):\n    return a + b  # good', source: 'task' as const };

async function withServer<T>(run: (server: FakeOpenAI) => Promise<T>): Promise<T> {
  const server = await startFakeOpenAI();
  server.latencyMs = latencyMs;
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

/** calls/s of the full teacher. */
function teacherRate(concurrency: number): Promise<number> {
  return withServer(async (server) => {
    const teacher = openai({ model: 'gpt-4o-mini', apiKey: 'sk-bench', baseURL: server.url, maxConcurrency: concurrency, cacheDir: false });
    // Warm-up: the first request pays for the SDK's lazy setup and the TCP connection.
    await teacher.score({ ...tasks[0]!, id: 'warm-up', prompt: 'warm up' }, candidates, reference);
    const start = performance.now();
    const results = await Promise.all(tasks.map((task) => teacher.score(task, candidates, reference)));
    const seconds = (performance.now() - start) / 1000;
    const unscored = results.flatMap((r) => r.scores).filter((s) => s === null).length;
    if (unscored > 0) throw new Error(`${unscored} candidates unscored in a fault-free run`);
    return calls / seconds;
  });
}

/** calls/s of the bare SDK sending the same bodies through a plain worker pool. */
function sdkRate(concurrency: number): Promise<number> {
  return withServer(async (server) => {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: server.url, maxRetries: 0 });
    const body = (task: Task) => {
      const submissions = [...candidates, reference].map((c, i) => ({ label: String.fromCharCode(65 + i), code: c.code }));
      const request: ProviderRequest = {
        purpose: 'score',
        system: scoringSystemPrompt(DEFAULT_WEIGHTS),
        messages: [{ role: 'user', content: scoringUserPrompt(task, submissions) }],
        schema: EVALUATIONS_SCHEMA,
        schemaName: EVALUATIONS_SCHEMA_NAME,
        maxOutputTokens: 1300,
        temperature: 0,
      };
      return chatBody(request, { model: 'gpt-4o-mini', mode: 'json_schema', maxTokensField: 'max_tokens', sendTemperature: true }) as OpenAI.ChatCompletionCreateParamsNonStreaming;
    };
    await client.chat.completions.create(body(tasks[0]!));
    const start = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) await client.chat.completions.create(body(tasks[next++]!));
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return calls / ((performance.now() - start) / 1000);
  });
}

console.log(`latency ${latencyMs} ms, ${calls} listwise calls (4 candidates + reference each), client and server in one process`);
console.log('concurrency | teacher calls/s | raw SDK calls/s | ideal calls/s | teacher/ideal | teacher/SDK');
for (const concurrency of [1, 4, 16, 64]) {
  const teacher = await teacherRate(concurrency);
  const sdk = await sdkRate(concurrency);
  const ideal = latencyMs > 0 ? concurrency / (latencyMs / 1000) : Number.POSITIVE_INFINITY;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  console.log(
    `${String(concurrency).padStart(11)} | ${teacher.toFixed(1).padStart(15)} | ${sdk.toFixed(1).padStart(15)} | ${ideal.toFixed(1).padStart(13)} | ${pct(teacher / ideal).padStart(13)} | ${pct(teacher / sdk).padStart(11)}`,
  );
}
