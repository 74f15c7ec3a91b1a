/**
 * Scoring that can wait: all misses go to the provider's batch API in one job (half price at
 * Anthropic and OpenAI). The job id is persisted under the cache dir so a restarted run resumes
 * polling instead of paying again; items that fail in the batch fall back to ordinary calls.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScoreResult } from '../contracts/teacher.js';
import { TeacherError } from '../errors/rlaif-error.js';
import type { Answer, JudgeEngine, PreparedScoring } from './judge-engine.js';
import type { BatchAdapter, BatchItem, ProviderResponse } from './provider.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { contentHash } from './response-cache.js';
import { sleep } from './retry.js';
import type { ScoreRequest } from '../contracts/teacher.js';

interface BatchState {
  readonly batchId: string;
  readonly submittedAt: string;
  readonly items: number;
}

/** Scores `requests` through `batch`, resuming a job this same set of requests already submitted. */
export async function scoreThroughBatch(
  engine: JudgeEngine,
  batch: BatchAdapter,
  requests: readonly ScoreRequest[],
  signal: AbortSignal | undefined,
): Promise<ScoreResult[]> {
  const prepared = requests.map((r) => engine.prepareScoring(r.task, r.candidates, r.reference));
  const results: (ScoreResult | undefined)[] = new Array<ScoreResult | undefined>(requests.length).fill(undefined);
  const pending: { index: number; item: BatchItem; key: string }[] = [];
  for (const [index, p] of prepared.entries()) {
    const key = engine.keyOf(p.request);
    const hit = await engine.cached(key);
    const request = requests[index] as ScoreRequest;
    if (hit) results[index] = await engine.finish(p, request.task, hit, signal);
    else pending.push({ index, key, item: { customId: `r${index}-${key.slice(0, 24)}`, request: p.request } });
  }
  if (pending.length > 0) {
    let replies: ReadonlyMap<string, ProviderResponse | Error> = new Map();
    try {
      replies = await runBatch(engine, batch, pending.map((p) => p.item), signal);
    } catch (error) {
      // A failed or expired job is not a crash: its items are scored with direct calls below.
      if (!(error instanceof TeacherError)) throw error;
      engine.logger.warn(`${batch.provider} batch failed, scoring ${pending.length} requests directly: ${error.message}`);
    }
    for (const { index, item, key } of pending) {
      const request = requests[index] as ScoreRequest;
      const p = prepared[index] as PreparedScoring;
      const reply = replies.get(item.customId);
      if (reply === undefined || reply instanceof Error) {
        if (reply) engine.logger.info(`${batch.provider} batch item ${item.customId} failed, scoring it directly: ${reply.message}`);
        results[index] = await engine.score(p, request.task, signal);
        continue;
      }
      const answer: Answer = { response: reply, usage: engine.meter.recordCall(reply.usage, true), key, fromCache: false };
      results[index] = await engine.finish(p, request.task, answer, signal);
    }
  }
  return results as ScoreResult[];
}

async function runBatch(
  engine: JudgeEngine,
  batch: BatchAdapter,
  items: readonly BatchItem[],
  signal: AbortSignal | undefined,
): Promise<ReadonlyMap<string, ProviderResponse | Error>> {
  const never = new AbortController().signal;
  const live = signal ?? never;
  const root = engine.cacheDirectory();
  const statePath = root ? join(root, 'batches', `${contentHash(items.map((i) => i.customId))}.json`) : undefined;
  let state = statePath ? await readState(statePath) : undefined;
  if (state) engine.logger.info(`${batch.provider}: resuming batch ${state.batchId} (${state.items} requests)`);
  else {
    engine.meter.checkBudget();
    const batchId = await batch.submit(items, live);
    state = { batchId, submittedAt: new Date().toISOString(), items: items.length };
    if (statePath) await writeFileAtomic(statePath, JSON.stringify(state));
    engine.logger.info(`${batch.provider}: submitted batch ${batchId} (${items.length} requests)`);
  }
  const interval = engine.options.batchPollIntervalMs ?? 30_000;
  for (;;) {
    const status = await batch.poll(state.batchId, live);
    if (status === 'ended') break;
    if (status === 'failed') {
      if (statePath) await rm(statePath, { force: true });
      throw new TeacherError(`${batch.provider} batch ${state.batchId} failed or expired`, batch.provider, false, {
        hint: 'check the batch in the provider console; rerun to submit a new batch or use score() for direct calls',
      });
    }
    await sleep(interval, signal);
  }
  const replies = await batch.results(state.batchId, live);
  if (statePath) await rm(statePath, { force: true });
  return replies;
}

async function readState(path: string): Promise<BatchState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as BatchState;
    return typeof state.batchId === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
