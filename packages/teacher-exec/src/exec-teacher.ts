/**
 * `exec()`: the offline teacher. It scores code by compiling it and running the task's tests in a
 * bubblewrap sandbox (Python, C++, Rust), plus compiler warnings, lint and a syntax-tree check of
 * the documentation. No network, no API key.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Candidate, Language, Logger, Scalars, PluginContext, Reference, Score, ScoreResult, Task, Teacher, TeacherCallOptions, TeacherUsage, ToolchainStatus } from '@rlaif/core';
import { ConfigError, RlaifError, TeacherError, ZERO_USAGE, addUsage, silentLogger } from '@rlaif/core';
import { cpp } from './languages/cpp.js';
import { InvalidTestsError } from './languages/program.js';
import type { LanguageAdapter } from './languages/program.js';
import { python } from './languages/python.js';
import { rust } from './languages/rust.js';
import { Executor } from './runner/executor.js';
import type { ExecutionOutcome } from './runner/executor.js';
import { ExecStats } from './runner/exec-stats.js';
import { ResultCache, runKey } from './runner/result-cache.js';
import type { CachedRun } from './runner/result-cache.js';
import { createSandbox, describeIsolation } from './sandbox/bwrap.js';
import type { CreateSandboxOptions, IsolationReport, Sandbox, SandboxLimits } from './sandbox/bwrap.js';
import { documentationFacts } from './scoring/documentation.js';
import { resolveWeights, scoreOutcome } from './scoring/rubric.js';
import type { RubricWeights } from './scoring/rubric.js';
import { Toolchains } from './toolchains.js';
import type { ToolchainPaths } from './toolchains.js';
import { SlotPool } from './util/slot-pool.js';

/** Settings of the exec teacher; every field has a default. */
export interface ExecTeacherSettings {
  /** Weights of the four dimensions in `overall`; default 0.3 / 0.3 / 0.2 / 0.2. */
  readonly weights?: Partial<RubricWeights>;
  /** Writes the reference when a task has no `reference` field (any Teacher, e.g. anthropic()). */
  readonly referenceTeacher?: Teacher;
  /** Sandboxed processes at once; default: the number of cores. */
  readonly concurrency?: number;
  /** Limits of each test run (defaults: 10 s wall, 5 s CPU, 512 MiB, 64 processes, 16 MiB files, 1 MiB output). */
  readonly testLimits?: Partial<SandboxLimits>;
  /** Limits of each compilation (defaults: 120 s wall, 60 s CPU, 2 GiB, 256 processes/threads). */
  readonly compileLimits?: Partial<SandboxLimits>;
  /** Explicit paths of python3, g++ and rustc; default: found on PATH. */
  readonly toolchains?: ToolchainPaths;
  /** Results kept in memory; default 2048. */
  readonly cacheEntries?: number;
  /** First uid of the sandboxed runs (slot i uses uidBase + i); default 200000 + a per-process, per-instance offset. */
  readonly uidBase?: number;
  /** Path of bwrap; default /usr/bin/bwrap. */
  readonly bwrapPath?: string;
  /** Use rlimits only, even where a memory cgroup is available. */
  readonly disableCgroups?: boolean;
  /**
   * Keep successful builds under `<cacheDir>/teacher-exec/builds/` and reuse them; default false.
   * The results cache already answers a repeated candidate, and binaries are large (a Rust test
   * binary is ~4 MB, so an RL run would keep gigabytes).
   */
  readonly keepBuilds?: boolean;
}

/** The exec teacher: a Teacher plus a look at the sandbox it runs. */
export interface ExecTeacher extends Teacher {
  readonly name: 'exec';
  /** The isolation in force (after setup or the first score call). */
  isolation(): IsolationReport | undefined;
  /** Which of `languages` run here: version, or the missing command and how to install it. */
  toolchains(languages: readonly Language[]): Promise<readonly ToolchainStatus[]>;
  /** Cumulative `Sandbox/*` counts: runs, cache hits, candidates, compile failures and seconds per language. */
  metrics(): Scalars;
}

const DEFAULT_TEST_LIMITS: SandboxLimits = {
  wallMs: 10_000, cpuSeconds: 5, memoryBytes: 512 * 2 ** 20, maxProcesses: 64,
  fileSizeBytes: 16 * 2 ** 20, tmpfsBytes: 64 * 2 ** 20, outputBytes: 2 ** 20,
};

const DEFAULT_COMPILE_LIMITS: SandboxLimits = {
  wallMs: 120_000, cpuSeconds: 60, memoryBytes: 2 * 2 ** 30, maxProcesses: 256,
  fileSizeBytes: 256 * 2 ** 20, tmpfsBytes: 256 * 2 ** 20, outputBytes: 256 * 1024,
};

const ADAPTERS: Record<Language, LanguageAdapter> = { python, cpp, rust };

let instances = 0;

/** Fills in defaults and rejects limits that are not positive integers. */
function resolveLimits(defaults: SandboxLimits, given: Partial<SandboxLimits> | undefined, keyPath: string): SandboxLimits {
  const limits = { ...defaults, ...given };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigError(`must be a positive integer, got ${String(value)}`, `${keyPath}.${key}`, undefined, {
        hint: `set ${keyPath}.${key} to a positive whole number (default ${defaults[key as keyof SandboxLimits]})`,
      });
    }
  }
  return limits;
}

/** Opens the sandbox every run goes through (the bench passes an unsandboxed one for its baseline). */
export type OpenSandbox = (options: CreateSandboxOptions) => Promise<Sandbox>;

/** Creates the exec teacher. */
export function exec(settings: ExecTeacherSettings = {}): ExecTeacher {
  return execWithSandbox(settings, createSandbox);
}

/** `exec()` with its sandbox supplied; not exported from the package (bench and tests only). */
export function execWithSandbox(settings: ExecTeacherSettings, openSandbox: OpenSandbox): ExecTeacher {
  const weights = resolveWeights(settings.weights);
  const testLimits = resolveLimits(DEFAULT_TEST_LIMITS, settings.testLimits, 'teacher.testLimits');
  const compileLimits = resolveLimits(DEFAULT_COMPILE_LIMITS, settings.compileLimits, 'teacher.compileLimits');
  // At most 64 slots: each teacher instance owns a block of 64 uids.
  const pool = new SlotPool(Math.min(64, Math.max(1, settings.concurrency ?? availableParallelism())));
  // Distinct uids per process, teacher instance and slot keep RLIMIT_NPROC counts of parallel runs apart.
  const uidBase = settings.uidBase ?? 200_000 + (process.pid % 4096) * 256 + (instances++ % 4) * 64;
  const toolchains = new Toolchains(settings.toolchains);
  const results = new ResultCache(settings.cacheEntries ?? 2048);
  const stats = new ExecStats();
  const references = new Map<string, Promise<Reference | null>>();
  // Identical code in one batch (often the reference itself) runs once; timings then match exactly.
  const inFlight = new Map<string, Promise<CachedRun>>();
  let executor: Promise<{ executor: Executor; sandbox: Sandbox }> | undefined;
  let cacheRoot: string | undefined;
  let usage: TeacherUsage = ZERO_USAGE;
  let isolation: IsolationReport | undefined;
  let logger: Logger = silentLogger;
  let runSignal: AbortSignal | undefined;

  const start = (): Promise<{ executor: Executor; sandbox: Sandbox }> => {
    executor ??= openSandbox({ bwrapPath: settings.bwrapPath, disableCgroups: settings.disableCgroups, probeUid: uidBase }).then((sandbox) => {
      isolation = sandbox.isolation;
      const workDir = cacheRoot ? join(cacheRoot, 'work') : join(tmpdir(), 'rlaif-exec');
      const artefactDir = cacheRoot && settings.keepBuilds ? join(cacheRoot, 'builds') : undefined;
      return { sandbox, executor: new Executor({ sandbox, pool, uidBase, compileLimits, testLimits, workDir, artefactDir, stats }) };
    });
    executor.catch(() => (executor = undefined));
    return executor;
  };

  /**
   * Runs the distinct pieces of code of one call. Each is answered by the cache or by an identical run
   * in flight where it can be; the rest are executed together (one build for the group where the
   * language allows it). `onCacheHit` is called once per code answered without running it.
   */
  const runCodes = async (task: Task, tests: string, codes: readonly string[], signal: AbortSignal | undefined, onCacheHit: () => void): Promise<Map<string, Promise<CachedRun>>> => {
    const toolchain = await toolchains.get(task.language);
    const keyOf = (code: string) => runKey([task.language, code, tests, toolchain.version, testLimits, compileLimits]);
    const runs = new Map<string, Promise<CachedRun>>();
    const toRun: string[] = [];
    for (const code of new Set(codes)) {
      const pending = inFlight.get(keyOf(code));
      const cached = pending ? undefined : await results.get(keyOf(code));
      if (pending !== undefined || cached !== undefined) {
        onCacheHit();
        stats.cacheHit();
        runs.set(code, pending ?? Promise.resolve(cached as CachedRun));
      } else toRun.push(code);
    }
    // Identical code in this call (often the reference itself) is counted once as a cache hit per extra copy.
    for (let extra = codes.length - new Set(codes).size; extra > 0; extra--) {
      onCacheHit();
      stats.cacheHit();
    }
    if (toRun.length === 0) return runs;
    const outcomes = start().then(({ executor: runner }) => runner.executeAll(ADAPTERS[task.language], toolchain, toRun, tests, signal));
    toRun.forEach((code, i) => {
      const key = keyOf(code);
      const run = Promise.all([outcomes, documentationFacts(task.language, code)]).then(async ([all, documentation]) => {
        const result = { outcome: all[i] as ExecutionOutcome, documentation };
        await results.set(key, result);
        return result;
      });
      inFlight.set(key, run);
      // Settled either way: later calls then ask the cache (or run again after a failure).
      run.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
      runs.set(code, run);
    });
    return runs;
  };

  const requireTests = (task: Task): string => {
    if (task.tests === undefined || task.tests.trim() === '') {
      throw new TeacherError(`task ${task.id} has no tests, so the exec teacher cannot score it`, 'exec', false, {
        hint: `add a "tests" field to task ${task.id} in the prompts file (formats: @rlaif/teacher-exec README), or use hybrid({ execution: exec(), judge }) / an LLM teacher`,
      });
    }
    return task.tests;
  };

  const teacher: ExecTeacher = {
    specificationVersion: 'v1',
    kind: 'teacher',
    name: 'exec',

    async setup(context: PluginContext) {
      logger = context.logger;
      runSignal = context.signal;
      cacheRoot = join(context.cacheDir, 'teacher-exec');
      results.persistTo(join(cacheRoot, 'results'));
      // Scoring before setup started a sandbox without the cache dir: start afresh with it.
      executor = undefined;
      const { sandbox } = await start();
      context.logger.info(`exec teacher sandbox: ${describeIsolation(sandbox.isolation)}`);
      await settings.referenceTeacher?.setup?.(context);
    },

    async close() {
      await settings.referenceTeacher?.close?.();
    },

    isolation() {
      return isolation;
    },

    toolchains(languages: readonly Language[]) {
      return Promise.all(languages.map((language) => toolchains.status(language)));
    },

    /** The task's own reference, else the referenceTeacher's; null without one (scored on the tests alone). */
    async reference(task: Task, options?: TeacherCallOptions): Promise<Reference | null> {
      if (task.reference !== undefined && task.reference.trim() !== '') return { code: task.reference, source: 'task' };
      const { referenceTeacher } = settings;
      if (referenceTeacher === undefined) return null;
      let pending = references.get(task.id);
      if (pending === undefined) {
        pending = referenceTeacher.reference(task, options);
        pending.catch(() => references.delete(task.id));
        references.set(task.id, pending);
      }
      return pending;
    },

    async score(task: Task, candidates: readonly Candidate[], reference: Reference | null, options?: TeacherCallOptions): Promise<ScoreResult> {
      const tests = requireTests(task);
      const signal = options?.signal ?? runSignal;
      let cacheHits = 0;
      const codes = [...(reference ? [reference.code] : []), ...candidates.map((candidate) => candidate.code)];
      const started = await runCodes(task, tests, codes, signal, () => (cacheHits += 1));
      const attempt = (code: string) =>
        (started.get(code) as Promise<CachedRun>).catch((error: unknown) => {
          // Invalid tests, missing toolchains and a broken sandbox concern the whole task: rethrow.
          if (error instanceof InvalidTestsError) {
            throw new TeacherError(`task ${task.id}: ${error.message}`, 'exec', false, { hint: `fix the "tests" field of task ${task.id} (formats: @rlaif/teacher-exec README)` });
          }
          if (RlaifError.isInstance(error)) throw error;
          const failure = error instanceof Error ? error : new Error(String(error));
          logger.warn(`exec teacher: could not run a candidate of task ${task.id}: ${failure.message}`);
          return failure;
        });
      // Without a reference, efficiency has nothing to compare with (see scoring/rubric.ts).
      const [referenceRun, ...candidateRuns] = await Promise.all([reference ? attempt(reference.code) : undefined, ...candidates.map((candidate) => attempt(candidate.code))]);
      const referenceOutcome: ExecutionOutcome | undefined = referenceRun === undefined || referenceRun instanceof Error ? undefined : referenceRun.outcome;
      const toScore = (run: CachedRun | Error | undefined): Score | null => (run === undefined || run instanceof Error ? null : scoreOutcome(run.outcome, run.documentation, referenceOutcome, weights));
      const runs = candidates.length + (reference ? 1 : 0);
      // Like an LLM teacher's cached response: a call answered wholly from the cache is a cache hit, not a request.
      const callUsage: TeacherUsage = runs === 0 ? ZERO_USAGE : cacheHits === runs ? { ...ZERO_USAGE, cacheHits: 1 } : { ...ZERO_USAGE, requests: 1 };
      usage = addUsage(usage, callUsage);
      return {
        scores: candidateRuns.map(toScore),
        reasons: candidateRuns.map((run) => (run instanceof Error ? `could not run the code: ${run.message}` : null)),
        referenceScore: toScore(referenceRun),
        usage: callUsage,
      };
    },

    metrics() {
      return stats.scalars();
    },

    usage() {
      return settings.referenceTeacher ? addUsage(usage, settings.referenceTeacher.usage()) : usage;
    },
  };
  return teacher;
}

