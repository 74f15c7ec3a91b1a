/**
 * C++ tests: functions `void test_xxx()` (assert or throw to fail) defined after the candidate in
 * one translation unit; a generated `main` runs one of them per process. With no `test_`
 * functions, the tests' own `int main()` is the single test and must return 0. The candidates of one
 * call may be built as one translation unit (cpp-group.ts).
 */
import { descendants, namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import { STANDARD_HEADERS, STARTUP_HEADERS, memberDir, memberNamespace, membersInErrors, standardNames, standardNamesBuild, startupAudit, topLevelNames } from './cpp-group.js';
import { screenMember } from './cpp-tokens.js';
import { BUILD_DIR, InvalidTestsError, VERDICT_TAG, WHOLE_BLOCK_TEST } from './program.js';
import type { CompiledProgram, GroupContext, LanguageAdapter, ProgramGroup, SharedHeader } from './program.js';

function functionName(definition: Node): string | undefined {
  const declarator = definition.childForFieldName('declarator');
  if (declarator?.type !== 'function_declarator') return undefined;
  return declarator.childForFieldName('declarator')?.text;
}

function topLevelFunctions(root: Node): string[] {
  return namedChildren(root)
    .filter((node) => node.type === 'function_definition')
    .map(functionName)
    .filter((name): name is string => name !== undefined);
}

const HEADER = 'rlaif_harness.h';
const FLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-fdiagnostics-color=never', '-pipe'];
// The harness's own headers: light C ones only (<iostream> alone would double the compile time of small candidates).
const HARNESS_HEADERS = ['cstdio', 'cstring', 'ctime'];
// The tests' own code is compiled at -Og, the candidate's at -O2: the tests then call the candidate's
// code as compiled (not inlined and folded into constant inputs), and cost a third of the compile time.
const TESTS_OPTIMIZATION = '#pragma GCC push_options\n#pragma GCC optimize("Og")';
const END_TESTS_OPTIMIZATION = '#pragma GCC pop_options';

/**
 * The standard `#include <…>` lines that open `source` (blank and `//` comment lines may sit between
 * them), and `source` with those lines blanked (line numbers kept). Anything else ends the block.
 */
export function splitLeadingIncludes(source: string): { headers: string[]; rest: string } {
  const lines = source.split('\n');
  const headers: string[] = [];
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || (trimmed.startsWith('//') && !trimmed.includes('\\'))) continue;
    const header = /^#\s*include\s*<([\w./+-]+)>\s*(?:\/\/.*)?$/.exec(trimmed)?.[1];
    if (header === undefined) break;
    headers.push(header);
    lines[index] = '';
  }
  return { headers, rest: lines.join('\n') };
}

/**
 * The standard headers the candidate includes before anything else: moved ahead of its code they
 * mean the same (the harness's own three come first today as well), so they can join the
 * precompiled header. Anything else (a quoted include, a macro, code) ends the block.
 */
export function leadingStandardIncludes(candidate: string): string[] {
  return splitLeadingIncludes(candidate).headers;
}

/** The precompiled header of the harness's headers and the candidate's leading standard includes. */
function sharedHeader(candidateHeaders: readonly string[]): SharedHeader {
  const headers = [...new Set([...HARNESS_HEADERS, ...candidateHeaders])];
  return {
    name: HEADER,
    content: headers.map((header) => `#include <${header}>\n`).join(''),
    precompileCommand: (toolchain, dir) => [toolchain.executable, ...FLAGS, '-x', 'c++-header', '-o', `${dir}/${HEADER}.gch`, `${dir}/${HEADER}`],
  };
}

interface CppTests {
  /** Test names, or [WHOLE_BLOCK_TEST] for a tests block with its own `main`. */
  readonly names: readonly string[];
  readonly wholeBlock: boolean;
  /** The tests' leading standard includes, included by the harness right after the candidate. */
  readonly headers: readonly string[];
  /** The tests without those include lines (line numbers kept). */
  readonly body: string;
}

async function readTests(tests: string): Promise<CppTests> {
  const { names, hasMain } = await withTree('cpp', tests, (root) => {
    const functions = topLevelFunctions(root);
    const testNames = descendants(root, 'function_definition').length > 0 ? functions.filter((name) => /^test_\w+$/.test(name)) : [];
    return { names: [...new Set(testNames)], hasMain: functions.includes('main') };
  });
  const wholeBlock = names.length === 0;
  if (wholeBlock && !hasMain) throw new InvalidTestsError('C++ tests define neither `void test_xxx()` functions nor `int main()`');
  const { headers, rest } = splitLeadingIncludes(tests);
  return { names: wholeBlock ? [WHOLE_BLOCK_TEST] : names, wholeBlock, headers, body: rest };
}

/** The tests' includes, then their code at -Og: each file included in its scope's namespace ('' for the global one). */
function testsSection(tests: CppTests, files: readonly { file: string; scope: string }[]): string {
  const include = (file: string) => (tests.wholeBlock ? `#define main rlaif_tests_main\n#include "${file}"\n#undef main` : `#include "${file}"`);
  const blocks = files.map(({ file, scope }) => (scope === '' ? include(file) : `namespace ${scope} {\n${include(file)}\n}`));
  return [...tests.headers.map((header) => `#include <${header}>`), TESTS_OPTIMIZATION, ...blocks, END_TESTS_OPTIMIZATION].join('\n');
}

/** Calls the test named `name` (qualified by `scope`), or returns 3 for an unknown name. */
function dispatch(tests: CppTests, scope: string): string {
  const call = (test: string) => `${scope}${test}()`;
  if (tests.wholeBlock) return `if (std::strcmp(name, "${WHOLE_BLOCK_TEST}") == 0) { int rc = ${call('rlaif_tests_main')}; if (rc != 0) return rc; } else return 3;`;
  return `${tests.names.map((test) => `if (std::strcmp(name, "${test}") == 0) ${call(test)};`).join('\n  else ')}\n  else return 3;`;
}

/** The generated `main`: picks the test (after the member, in a group), times it, then reads the nonce and prints the verdict. */
function harnessMain(selection: string, argumentCount: number, body: string): string {
  return `int main(int argc, char** argv) {
  if (argc < ${argumentCount + 1}) return 2;
  ${selection}
  timespec start, stop;
  clock_gettime(CLOCK_MONOTONIC, &start);
  ${body}
  clock_gettime(CLOCK_MONOTONIC, &stop);
  const long long ns = (stop.tv_sec - start.tv_sec) * 1000000000LL + (stop.tv_nsec - start.tv_nsec);
  std::fflush(stdout);
  char nonce[128] = {0};
  if (std::fgets(nonce, sizeof nonce, stdin) == nullptr) return 4;
  nonce[std::strcspn(nonce, "\\r\\n")] = 0;
  std::printf("\\n${VERDICT_TAG} %s %s %lld\\n", nonce, name, ns);
  std::fflush(stdout);
  return 0;
}
`;
}

function harness(tests: CppTests): string {
  // Standard headers come first so the `main` renaming below cannot touch them.
  return `#include "${HEADER}"
#define main rlaif_candidate_main
#include "candidate.cpp"
#undef main
${testsSection(tests, [{ file: 'tests.cpp', scope: '' }])}
${harnessMain('const char* name = argv[1];', 1, dispatch(tests, ''))}`;
}

/** One translation unit for `members` candidates: each candidate, then each copy of the tests, in the member's namespace. */
function groupHarness(tests: CppTests, members: readonly number[]): string {
  const candidates = members.map((i) => `namespace ${memberNamespace(i)} {\n#define main rlaif_candidate_main\n#include "${memberDir(i)}/candidate.cpp"\n#undef main\n}`);
  const testCopies = members.map((i) => ({ file: `${memberDir(i)}/tests.cpp`, scope: memberNamespace(i) }));
  const select = members.map((i) => `if (std::strcmp(member, "${i}") == 0) {\n  ${dispatch(tests, `${memberNamespace(i)}::`)}\n  }`).join(' else ');
  return `#include "${HEADER}"
${candidates.join('\n')}
${testsSection(tests, testCopies)}
${harnessMain('const char* member = argv[1];\n  const char* name = argv[2];', 2, `${select} else return 3;`)}`;
}

/** Warnings the compiler located in `file` (the candidate's own lines), as `line N: message`. */
function warningsIn(output: string, file: string): string[] {
  const pattern = new RegExp(`^(?:/build/)?${file.replace(/[./]/g, '\\$&')}:(\\d+):\\d+: warning: (.*)$`);
  return output
    .split('\n')
    .map((line) => pattern.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `line ${match[1]}: ${match[2]}`);
}

/** The candidate's standard includes qualify it for a group: all known to the names build, none running code before main. */
function groupableHeaders(headers: readonly string[]): boolean {
  return headers.every((header) => STANDARD_HEADERS.has(header) && !STARTUP_HEADERS.has(header));
}

/**
 * Whether `source`'s top-level names are understood, unknown to the standard headers and not reserved
 * to the implementation (`__x`, `_X`: libc and the runtime define such symbols unmangled).
 */
async function wrappable(source: string, known: ReadonlySet<string>): Promise<boolean> {
  const top = await withTree('cpp', source, (root) => topLevelNames(root, source));
  return 'names' in top && top.names.every((name) => !known.has(name) && !/^_[_A-Z]/.test(name));
}

export const cpp: LanguageAdapter = {
  language: 'cpp',
  async prepare(candidate, testsSource): Promise<CompiledProgram> {
    const tests = await readTests(testsSource);
    return {
      files: { 'candidate.cpp': candidate, 'tests.cpp': tests.body, 'harness.cpp': harness(tests) },
      tests: tests.names,
      lintFindings: [],
      sharedHeader: sharedHeader(leadingStandardIncludes(candidate)),
      compileCommand: (toolchain, includeDir) => [toolchain.executable, ...FLAGS, ...(toolchain.linkFlags ?? []), ...(includeDir ? ['-I', includeDir] : []), '-o', `${BUILD_DIR}/program`, `${BUILD_DIR}/harness.cpp`],
      testArgv: () => [`${BUILD_DIR}/program`],
      candidateWarnings: (output) => warningsIn(output, 'candidate.cpp'),
    };
  },

  groupable(candidate) {
    const { headers, rest } = splitLeadingIncludes(candidate);
    return groupableHeaders(headers) && screenMember(rest) === undefined;
  },

  groupKey: (candidate) => JSON.stringify(leadingStandardIncludes(candidate)),

  // Members share one precompiled header (same key, same includes), so each sees exactly its own
  // includes; the tests' includes follow every candidate, as they follow the candidate alone.
  async prepareGroup(candidates, testsSource, context: GroupContext): Promise<ProgramGroup | undefined> {
    const tests = await readTests(testsSource);
    if (!groupableHeaders(tests.headers) || screenMember(tests.body) !== undefined) return undefined;
    const namesDir = await context.shared(standardNamesBuild(FLAGS));
    if (namesDir === undefined) return undefined;
    const known = await standardNames(namesDir);
    if (!(await wrappable(tests.body, known))) return undefined;
    const bodies = candidates.map((candidate) => splitLeadingIncludes(candidate).rest);
    const joins = await Promise.all(bodies.map((body) => wrappable(body, known)));
    const members = candidates.map((_, i) => i).filter((i) => joins[i]);
    if (members.length < 2) return undefined;
    const files: Record<string, string> = { 'harness.cpp': groupHarness(tests, members) };
    for (const i of members) {
      files[`${memberDir(i)}/candidate.cpp`] = bodies[i] as string;
      files[`${memberDir(i)}/tests.cpp`] = tests.body;
    }
    // __FILE__ in a member's code reads as in a build of its own (/build/candidate.cpp, /build/tests.cpp).
    const fileNames = members.map((i) => `-fmacro-prefix-map=${BUILD_DIR}/${memberDir(i)}/=${BUILD_DIR}/`);
    const compileCommand = (toolchain: Parameters<CompiledProgram['compileCommand']>[0], includeDir?: string) => [toolchain.executable, ...FLAGS, ...(toolchain.linkFlags ?? []), ...fileNames, ...(includeDir ? ['-I', includeDir] : []), '-o', `${BUILD_DIR}/program`, `${BUILD_DIR}/harness.cpp`];
    return {
      files,
      sharedHeader: sharedHeader(leadingStandardIncludes(candidates[members[0] as number] as string)),
      compileCommand,
      members: candidates.map((_, i): CompiledProgram | undefined =>
        joins[i]
          ? {
              files: {},
              tests: tests.names,
              lintFindings: [],
              compileCommand,
              testArgv: () => [`${BUILD_DIR}/program`, String(i)],
              candidateWarnings: (output) => warningsIn(output, `${memberDir(i)}/candidate.cpp`).map((warning) => warning.replaceAll(`${memberNamespace(i)}::`, '')),
              asAlone: (output) => output.replaceAll(`${memberNamespace(i)}::`, ''),
            }
          : undefined,
      ),
      failedMembers: (output) => membersInErrors(output, BUILD_DIR),
      audit: startupAudit(FLAGS, context.toolchain),
    };
  },
};
