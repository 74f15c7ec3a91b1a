/**
 * What a language adapter turns a candidate plus the task's tests into: source files, the test
 * names, and the sandboxed commands that compile the program and run one test.
 */
import type { Language } from '@rlaif/core';
import type { SharedBuild } from '../runner/shared-builds.js';
import type { Toolchain } from '../toolchains.js';

/** Sandbox path of the build directory (writable while compiling, read-only while testing). */
export const BUILD_DIR = '/build';

/** Marker the harness prints after a test really returned: `RLAIF-VERDICT <nonce> <test> <ns>`. */
export const VERDICT_TAG = 'RLAIF-VERDICT';

/** Name used when the whole test block is a single test. */
export const WHOLE_BLOCK_TEST = 'tests';

interface ProgramBase {
  /** Files to write into the build directory, by name. */
  readonly files: Readonly<Record<string, string>>;
  /** Test names, in the order the tests were given. */
  readonly tests: readonly string[];
  /** Compiler warnings that point into the candidate's own code, as short one-liners. */
  candidateWarnings(compilerOutput: string): string[];
  /** Static-check findings computed without running anything (Python lint), as one-liners. */
  readonly lintFindings: readonly string[];
}

/** Sandbox path where a precompiled shared header is mounted read-only. */
export const SHARED_HEADER_DIR = '/pch';

/**
 * A header of standard includes only, which the harness includes first by `name`: precompiled once
 * per content and shared read-only by every build that names it (C++). Without its precompiled form
 * it is written into the build directory and compiled as text, with the same meaning.
 */
export interface SharedHeader {
  readonly name: string;
  readonly content: string;
  /** Command that precompiles `<dir>/<name>` with the program's own flags, cwd = dir. */
  precompileCommand(toolchain: Toolchain, dir: string): string[];
}

/** A candidate compiled once, then run once per test, each test in a fresh sandbox. */
export interface CompiledProgram extends ProgramBase {
  /** Command that compiles the program inside the sandbox, cwd = BUILD_DIR; `includeDir` holds the shared header. */
  compileCommand(toolchain: Toolchain, includeDir?: string): string[];
  readonly sharedHeader?: SharedHeader;
  /** Command that runs a test, without the test's name (appended as the last argument); the harness reads the nonce from stdin after the test returns. */
  testArgv(toolchain: Toolchain): string[];
  /** A group member's test output as a build of its own would have printed it (C++: without its namespace). */
  asAlone?(output: string): string;
}

/**
 * A candidate checked and tested in one sandboxed run by a test server that forks a fresh process
 * per test (Python: the interpreter starts once per candidate, not once per test). The server's
 * protocol is in languages/python-server.ts; runner/served-tests.ts reads it.
 */
export interface ServedProgram extends ProgramBase {
  /** The server's command, cwd /tmp, build directory read-only: `... <wallMs> <outputBytes> <test>...`. */
  serveCommand(toolchain: Toolchain, wallMs: number, outputBytes: number): string[];
}

/** A candidate ready to build and test. */
export type Program = CompiledProgram | ServedProgram;

/** Whether `program` runs its tests through a test server. */
export function isServed(program: Program): program is ServedProgram {
  return 'serveCommand' in program;
}

/** A check of a built group before any member's test runs, against a shared build made for comparison. */
export interface GroupAudit {
  /** Built once per toolchain like any shared build, for `accepts` to compare with. */
  readonly baseline: SharedBuild;
  /** Whether the group built in `buildDir` (host path) may run its members' tests, given the baseline's host directory. */
  accepts(buildDir: string, baselineDir: string): Promise<boolean>;
}

/**
 * Several candidates of one task built as one program (Rust: modules of one crate; C++: namespaces of
 * one translation unit). Each member still runs each of its tests in its own sandboxed process, from
 * the group's build.
 */
export interface ProgramGroup {
  readonly files: Readonly<Record<string, string>>;
  readonly sharedHeader?: SharedHeader;
  compileCommand(toolchain: Toolchain, includeDir?: string): string[];
  /**
   * Member i's tests, test commands and warnings; its `files` are empty (they are in the group's).
   * Undefined for a candidate the language left out after a closer look: it is built alone.
   */
  readonly members: readonly (CompiledProgram | undefined)[];
  /** The members a failed group build's errors point into; the others are tried again as a group. */
  failedMembers?(compilerOutput: string): number[];
  /** Checked on the built group; when it refuses, every member is built alone. */
  readonly audit?: GroupAudit;
}

/** What a language may ask of the runner while forming a group. */
export interface GroupContext {
  readonly toolchain: Toolchain;
  /** The host directory holding `build`, made once per toolchain in the sandbox; undefined when it could not be made. */
  shared(build: SharedBuild): Promise<string | undefined>;
}

/** Builds a Program for one language. */
export interface LanguageAdapter {
  readonly language: Language;
  prepare(candidate: string, tests: string): Promise<Program>;
  /**
   * Builds several candidates at once, where the language allows it; a failed group build falls back
   * to `prepare`. Undefined when fewer than two can share a build after all.
   */
  prepareGroup?(candidates: readonly string[], tests: string, context: GroupContext): Promise<ProgramGroup | undefined>;
  /** Whether a candidate may join a group (code that could affect its siblings' processes may not). */
  groupable?(candidate: string): boolean;
  /** Candidates share a group only with those of the same key (C++: the same standard includes); default one key. */
  groupKey?(candidate: string): string;
}

/** Thrown when the task's tests cannot be used at all (not the candidate's fault). */
export class InvalidTestsError extends Error {}

/** The first `max` lines of compiler output that report errors, for evidence. */
export function firstErrorLines(output: string, max = 2): string[] {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const errors = lines.filter((line) => /\berror\b|Error:/.test(line));
  return (errors.length > 0 ? errors : lines).slice(0, max).map((line) => (line.length > 160 ? `${line.slice(0, 157)}...` : line));
}
