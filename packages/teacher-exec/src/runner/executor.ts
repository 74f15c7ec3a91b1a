/**
 * Compiles a candidate once and runs each of the task's tests in its own process, all in one sandbox
 * per candidate (through a test server: runner/test-server.ts, languages/python-server.ts; one
 * sandbox per test where the server cannot be built), deciding every verdict in this (trusted) process: a test passes only if its process exits 0 and printed the harness's verdict line
 * carrying that test's secret nonce, which the harness reads only after the test has returned. A fake
 * "PASS" or an early exit(0) therefore fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExecutionResult, Language } from '@rlaif/core';
import { RunStoppedError } from '@rlaif/core';
import { BUILD_DIR, VERDICT_TAG, firstErrorLines } from '../languages/program.js';
import { SHARED_HEADER_DIR, isServed } from '../languages/program.js';
import type { CompiledProgram, GroupAudit, LanguageAdapter, Program, ServedProgram, SharedHeader } from '../languages/program.js';
import type { Sandbox, SandboxLimits, SandboxMount, SandboxRunResult, SandboxRunSpec } from '../sandbox/bwrap.js';
import type { ExecStats } from './exec-stats.js';
import type { Toolchain } from '../toolchains.js';
import type { SlotPool } from '../util/slot-pool.js';
import { readServedRun, servedRunLimits, unreported } from './served-tests.js';
import type { ServedRun } from './served-tests.js';
import { TEST_SERVER, TEST_SERVER_DIR, serveCommand, servable } from './test-server.js';
import { SharedBuilds } from './shared-builds.js';
import type { SharedBuild } from './shared-builds.js';

/** Everything the rubric needs about one piece of code, as run. */
export interface ExecutionOutcome {
  readonly execution: ExecutionResult;
  /** Compiler warnings and lint findings in the candidate's own code. */
  readonly warnings: readonly string[];
  /** First lines of the compiler's error output when it did not compile. */
  readonly compileErrors: readonly string[];
  /** In-harness run time of each passed test, in nanoseconds (no process start-up). */
  readonly testNs: Readonly<Record<string, number>>;
}

type TestsOutcome = Omit<ExecutionOutcome, 'warnings' | 'compileErrors'>;

/** The outcome of a program that did not compile: every test failed, none run. */
function notCompiled(program: Program, warnings: string[], compileErrors: string[]): ExecutionOutcome {
  return {
    execution: {
      compiled: false,
      testsPassed: 0,
      testsTotal: program.tests.length,
      timedOut: false,
      runtimeMs: 0,
      tests: program.tests.map((name) => ({ name, passed: false, ms: 0, detail: 'not compiled' })),
    },
    warnings,
    compileErrors,
    testNs: {},
  };
}

/** Where and how the executor runs things. */
export interface ExecutorOptions {
  readonly sandbox: Sandbox;
  readonly pool: SlotPool;
  /** Slot i runs as uid `uidBase + i`. */
  readonly uidBase: number;
  readonly compileLimits: SandboxLimits;
  readonly testLimits: SandboxLimits;
  /** Host directory for fresh build directories. */
  readonly workDir: string;
  /** Host directory of cached builds (same filesystem as workDir), or undefined for none. */
  readonly artefactDir: string | undefined;
  /** Counts runs, candidates, compile failures and time per language. */
  readonly stats: ExecStats;
}

interface Build {
  readonly dir: string;
  readonly ok: boolean;
  readonly output: string;
  /** True when `dir` is a fresh directory to delete afterwards. */
  readonly temporary: boolean;
}

const COMPILE_RECORD = 'compile.json';

/** A run killed because the caller aborted says nothing about the code: stop instead of scoring it. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunStoppedError('scoring was aborted', 'signal', { hint: 'nothing to do: the run was asked to stop', cause: signal.reason });
}

function describeFailure(run: SandboxRunResult, limits: SandboxLimits, verdictSeen: boolean): string {
  if (run.timedOut) return `timed out (limit ${limits.wallMs / 1000}s wall, ${limits.cpuSeconds}s CPU)`;
  if (run.outputOverflow) return `killed: output over ${limits.outputBytes} bytes`;
  if (run.oomKilled) return `killed: memory over ${Math.round(limits.memoryBytes / 2 ** 20)} MiB`;
  if (run.exitCode === 0 && !verdictSeen) return 'exited before the test finished (no verdict from the harness)';
  const lines = run.stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const panic = lines.findIndex((line) => line.includes('panicked at'));
  const line = panic >= 0 ? lines[panic + 1] : lines.at(-1);
  const reason = line ?? (run.exitCode > 128 ? `killed by signal ${run.exitCode - 128}` : `exit code ${run.exitCode}`);
  return reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
}

/** The shared build that precompiles `header` (mounted at SHARED_HEADER_DIR). */
function precompiledHeader(header: SharedHeader): SharedBuild {
  return {
    name: 'pch',
    sandboxDir: SHARED_HEADER_DIR,
    files: { [header.name]: header.content },
    product: `${header.name}.gch`,
    command: (toolchain) => header.precompileCommand(toolchain, SHARED_HEADER_DIR),
  };
}

/** Runs candidates through compile and tests. */
export class Executor {
  private readonly shared: SharedBuilds;

  constructor(private readonly options: ExecutorOptions) {
    this.shared = new SharedBuilds(options);
  }

  /** Compiles `code` with `tests` and runs every test; never throws for bad code. */
  async execute(adapter: LanguageAdapter, toolchain: Toolchain, code: string, tests: string, signal?: AbortSignal): Promise<ExecutionOutcome> {
    const program = await adapter.prepare(code, tests);
    // No code (a completion without a code block) has nothing to build: skip the sandbox, fail every test.
    if (code.trim() === '') return notCompiled(program, [], ['no code in the completion']);
    if (isServed(program)) return this.executeServed(program, toolchain, signal);
    const build = await this.build(adapter.language, program, toolchain, signal);
    this.options.stats.candidate(adapter.language, build.ok);
    try {
      const warnings = [...program.candidateWarnings(build.output), ...program.lintFindings];
      if (!build.ok) return notCompiled(program, warnings, firstErrorLines(build.output));
      return { ...(await this.runTests(program, toolchain, build.dir, signal)), warnings, compileErrors: [] };
    } finally {
      if (build.temporary) await rm(build.dir, { recursive: true, force: true });
    }
  }

  /**
   * Like `execute` for each of `codes` (same order), building them together where the language
   * allows it (one compilation per group of candidates with the same group key); when a group does
   * not compile, each is built alone, so one bad candidate never costs the others their scores.
   */
  async executeAll(adapter: LanguageAdapter, toolchain: Toolchain, codes: readonly string[], tests: string, signal?: AbortSignal): Promise<ExecutionOutcome[]> {
    const alone = (code: string) => this.execute(adapter, toolchain, code, tests, signal);
    // Empty completions need no build at all, and code the adapter refuses is built alone.
    const groups = new Map<string, number[]>();
    codes.forEach((code, i) => {
      if (adapter.prepareGroup === undefined || code.trim() === '' || !(adapter.groupable?.(code) ?? false)) return;
      const key = adapter.groupKey?.(code) ?? '';
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const outcomes: Promise<ExecutionOutcome>[] = new Array(codes.length);
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const together = this.executeGroup(adapter, toolchain, members.map((i) => codes[i] as string), tests, signal, true);
      members.forEach((i, member) => (outcomes[i] = together.then((all) => all[member] as ExecutionOutcome)));
    }
    return Promise.all(codes.map((code, i) => outcomes[i] ?? alone(code)));
  }

  /**
   * Builds `codes` as one group and runs each member's tests from it. Candidates the language leaves
   * out are built alone. When the group does not compile, the candidates its errors point to are built
   * alone and the others try once more as a group (`retry`), else every one is built alone.
   */
  private async executeGroup(adapter: LanguageAdapter, toolchain: Toolchain, codes: readonly string[], tests: string, signal: AbortSignal | undefined, retry: boolean): Promise<ExecutionOutcome[]> {
    const alone = (code: string) => this.execute(adapter, toolchain, code, tests, signal);
    const group = await adapter.prepareGroup?.(codes, tests, { toolchain, shared: (build) => this.shared.get(build, toolchain, signal) });
    if (group === undefined) return Promise.all(codes.map(alone));
    const build = await this.build(adapter.language, group, toolchain, signal);
    if (!build.ok) {
      if (build.temporary) await rm(build.dir, { recursive: true, force: true });
      const failed = new Set(group.failedMembers?.(build.output) ?? []);
      const rest = codes.map((_, i) => i).filter((i) => group.members[i] !== undefined && !failed.has(i));
      if (!retry || failed.size === 0 || rest.length < 2) return Promise.all(codes.map(alone));
      const again = this.executeGroup(adapter, toolchain, rest.map((i) => codes[i] as string), tests, signal, false);
      return Promise.all(codes.map((code, i) => (rest.includes(i) ? again.then((all) => all[rest.indexOf(i)] as ExecutionOutcome) : alone(code))));
    }
    try {
      if (group.audit !== undefined && !(await this.audited(group.audit, build.dir, toolchain, signal))) return await Promise.all(codes.map(alone));
      return await Promise.all(
        codes.map((code, i) => {
          const program = group.members[i];
          if (program === undefined) return alone(code);
          this.options.stats.candidate(adapter.language, true);
          const warnings = [...program.candidateWarnings(build.output), ...program.lintFindings];
          return this.runTests(program, toolchain, build.dir, signal).then((run) => ({ ...run, warnings, compileErrors: [] }));
        }),
      );
    } finally {
      if (build.temporary) await rm(build.dir, { recursive: true, force: true });
    }
  }

  /** Whether a built group passes the language's audit (against its baseline, built once per toolchain). */
  private async audited(audit: GroupAudit, dir: string, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<boolean> {
    const baseline = await this.shared.get(audit.baseline, toolchain, signal);
    return baseline !== undefined && (await audit.accepts(dir, baseline));
  }

  /** Runs `spec` in the sandbox, counted for the toolchain's language. */
  private async sandboxRun(toolchain: Toolchain, spec: SandboxRunSpec): Promise<SandboxRunResult> {
    const run = await this.options.sandbox.run(spec);
    this.options.stats.run(toolchain.language, run.wallMs);
    return run;
  }

  /** A new build directory holding `files`, owned by root and readable by every uid. */
  private async freshDirectory(files: Readonly<Record<string, string>>): Promise<string> {
    await mkdir(this.options.workDir, { recursive: true });
    const dir = await mkdtemp(join(this.options.workDir, 'build-'));
    await chmod(dir, 0o755);
    for (const [name, content] of Object.entries(files)) {
      // A group's members have a directory each (C++: <member>/candidate.cpp).
      await mkdir(dirname(join(dir, name)), { recursive: true, mode: 0o755 });
      await writeFile(join(dir, name), content, { mode: 0o644 });
    }
    return dir;
  }

  private async build(language: Language, program: Pick<CompiledProgram, 'files' | 'compileCommand' | 'sharedHeader'>, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<Build> {
    const header = program.sharedHeader;
    const key = createHash('sha256').update(JSON.stringify([language, toolchain.version, program.files, header?.content])).digest('hex').slice(0, 32);
    const cached = this.options.artefactDir === undefined ? undefined : join(this.options.artefactDir, key);
    if (cached !== undefined && existsSync(join(cached, COMPILE_RECORD))) {
      const record = JSON.parse(await readFile(join(cached, COMPILE_RECORD), 'utf8')) as { output: string };
      return { dir: cached, ok: true, output: record.output, temporary: false };
    }
    throwIfAborted(signal);
    // The shared header precompiled and mounted read-only, or else written beside the sources as text.
    const headerDir = header === undefined ? undefined : await this.shared.get(precompiledHeader(header), toolchain, signal);
    const dir = await this.freshDirectory(header === undefined || headerDir !== undefined ? program.files : { ...program.files, [header.name]: header.content });
    const headerMounts = headerDir === undefined ? [] : [{ host: headerDir, sandbox: SHARED_HEADER_DIR }];
    const run = await this.options.pool.with(async (slot) => {
      const uid = this.options.uidBase + slot;
      // Only the build's own uid may write the build directory, and only while compiling.
      await chown(dir, uid, uid);
      try {
        return await this.sandboxRun(toolchain, {
          argv: program.compileCommand(toolchain, headerDir === undefined ? undefined : SHARED_HEADER_DIR),
          mounts: [...toolchain.mounts, ...headerMounts, { host: dir, sandbox: BUILD_DIR, writable: true }],
          cwd: BUILD_DIR,
          env: { PATH: toolchain.path, HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8' },
          limits: this.options.compileLimits,
          uid,
          signal,
        });
      } finally {
        await chown(dir, 0, 0);
      }
    });
    if (signal?.aborted) {
      await rm(dir, { recursive: true, force: true });
      throwIfAborted(signal);
    }
    const output = `${run.stderr}\n${run.stdout}`.trim();
    const ok = run.exitCode === 0 && !run.timedOut && !run.outputOverflow;
    const failure = ok ? output : run.timedOut ? `error: compilation timed out\n${output}` : run.oomKilled ? `error: compiler ran out of memory\n${output}` : output;
    if (ok && cached !== undefined) {
      await writeFile(join(dir, COMPILE_RECORD), JSON.stringify({ output }));
      try {
        await mkdir(this.options.artefactDir as string, { recursive: true });
        await rename(dir, cached);
        return { dir: cached, ok, output, temporary: false };
      } catch {
        // Another run cached the same build first; use ours and drop it.
      }
    }
    return { dir, ok, output: failure, temporary: true };
  }

  /** Runs each test in a fresh process: all in one sandboxed run through the test server when it is built, else one sandbox per test. */
  private async runTests(program: CompiledProgram, toolchain: Toolchain, dir: string, signal: AbortSignal | undefined): Promise<TestsOutcome> {
    const own = (run: SandboxRunResult): SandboxRunResult => (program.asAlone === undefined ? run : { ...run, stderr: program.asAlone(run.stderr) });
    const server = servable(program.tests) ? await this.shared.get(TEST_SERVER, toolchain, signal) : undefined;
    if (server !== undefined) {
      const { testLimits } = this.options;
      const argv = serveCommand(program.testArgv(toolchain), program.tests, testLimits.wallMs, testLimits.outputBytes);
      const { run, served, nonces } = await this.serve(argv, program.tests, toolchain, [{ host: dir, sandbox: BUILD_DIR }, { host: server, sandbox: TEST_SERVER_DIR }], signal);
      return this.judgeTests(program.tests, signal, (name, index) => Promise.resolve({ run: own(served.tests.get(name) ?? unreported(run)), nonce: nonces[index] as string }));
    }
    return this.judgeTests(program.tests, signal, async (name) => {
      const nonce = randomBytes(16).toString('hex');
      const run = await this.options.pool.with((slot) =>
        this.sandboxRun(toolchain, {
          argv: [...program.testArgv(toolchain), name],
          mounts: [...toolchain.mounts, { host: dir, sandbox: BUILD_DIR }],
          cwd: '/tmp',
          env: { PATH: toolchain.path, HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8' },
          stdin: `${nonce}\n`,
          limits: this.options.testLimits,
          uid: this.options.uidBase + slot,
          signal,
        }),
      );
      return { run: own(run), nonce };
    });
  }

  /** Checks and tests a served program in one sandboxed run (one process per test, forked by the server). */
  private async executeServed(program: ServedProgram, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<ExecutionOutcome> {
    throwIfAborted(signal);
    const dir = await this.freshDirectory(program.files);
    try {
      const { testLimits } = this.options;
      const argv = program.serveCommand(toolchain, testLimits.wallMs, testLimits.outputBytes);
      const { run, served, nonces } = await this.serve(argv, program.tests, toolchain, [{ host: dir, sandbox: BUILD_DIR }], signal);
      const checkOutput = served.check?.output ?? (run.timedOut ? `error: the syntax check timed out\n${run.stderr}` : `error: the test server did not start\n${run.stderr}`.trim());
      const warnings = [...program.candidateWarnings(checkOutput), ...program.lintFindings];
      this.options.stats.candidate(toolchain.language, served.check?.ok === true);
      if (served.check?.ok !== true) return notCompiled(program, warnings, firstErrorLines(checkOutput));
      const tests = await this.judgeTests(program.tests, signal, (name, index) => Promise.resolve({ run: served.tests.get(name) ?? unreported(run), nonce: nonces[index] as string }));
      return { ...tests, warnings, compileErrors: [] };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** One sandboxed run of a test server (`argv`), given one fresh nonce per test on stdin, and what it reported. */
  private async serve(argv: string[], tests: readonly string[], toolchain: Toolchain, mounts: readonly SandboxMount[], signal: AbortSignal | undefined): Promise<{ run: SandboxRunResult; served: ServedRun; nonces: string[] }> {
    const { testLimits } = this.options;
    const nonces = tests.map(() => randomBytes(16).toString('hex'));
    const run = await this.options.pool.with((slot) =>
      this.sandboxRun(toolchain, {
        argv,
        mounts: [...toolchain.mounts, ...mounts],
        cwd: '/tmp',
        env: { PATH: toolchain.path, HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
        stdin: nonces.map((nonce) => `${nonce}\n`).join(''),
        limits: servedRunLimits(testLimits, tests.length),
        uid: this.options.uidBase + slot,
        signal,
      }),
    );
    throwIfAborted(signal);
    return { run, served: readServedRun(run, testLimits), nonces };
  }

  /** Runs the tests in turn through `runTest` and judges each here; after a timeout the rest are skipped. */
  private async judgeTests(tests: readonly string[], signal: AbortSignal | undefined, runTest: (name: string, index: number) => Promise<{ run: SandboxRunResult; nonce: string }>): Promise<TestsOutcome> {
    const results: { name: string; passed: boolean; ms: number; detail?: string }[] = [];
    const testNs: Record<string, number> = {};
    let timedOut = false;
    let runtimeMs = 0;
    for (const [index, name] of tests.entries()) {
      if (timedOut) {
        results.push({ name, passed: false, ms: 0, detail: 'skipped after a timeout' });
        continue;
      }
      throwIfAborted(signal);
      const { run, nonce } = await runTest(name, index);
      throwIfAborted(signal);
      runtimeMs += run.wallMs;
      const verdict = new RegExp(`^${VERDICT_TAG} ${nonce} ${name.replace(/[^\w]/g, '\\$&')} (\\d+)$`, 'm').exec(run.stdout);
      const passed = verdict !== null && run.exitCode === 0 && !run.timedOut && !run.outputOverflow && !run.oomKilled;
      if (run.timedOut) timedOut = true;
      if (passed) testNs[name] = Number(verdict[1]);
      results.push(passed ? { name, passed, ms: run.wallMs } : { name, passed, ms: run.wallMs, detail: describeFailure(run, this.options.testLimits, verdict !== null) });
    }
    const testsPassed = results.filter((result) => result.passed).length;
    return { execution: { compiled: true, testsPassed, testsTotal: results.length, timedOut, runtimeMs, tests: results }, testNs };
  }
}
