/**
 * C++ tests: functions `void test_xxx()` (assert or throw to fail) defined after the candidate in
 * one translation unit; a generated `main` runs one of them per process. With no `test_`
 * functions, the tests' own `int main()` is the single test and must return 0.
 */
import { descendants, namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import { BUILD_DIR, InvalidTestsError, VERDICT_TAG, WHOLE_BLOCK_TEST } from './program.js';
import type { CompiledProgram, LanguageAdapter } from './program.js';

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

/**
 * The standard headers the candidate includes before anything else: moved ahead of its code they
 * mean the same (the harness's own three come first today as well), so they can join the
 * precompiled header. Anything else (a quoted include, a macro, code) ends the block.
 */
export function leadingStandardIncludes(candidate: string): string[] {
  const headers: string[] = [];
  for (const line of candidate.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || (trimmed.startsWith('//') && !trimmed.includes('\\'))) continue;
    const header = /^#\s*include\s*<([\w./+-]+)>\s*(?:\/\/.*)?$/.exec(trimmed)?.[1];
    if (header === undefined) break;
    headers.push(header);
  }
  return headers;
}

function harness(tests: readonly string[], wholeBlock: boolean): string {
  const dispatch = wholeBlock
    ? `if (std::strcmp(name, "${WHOLE_BLOCK_TEST}") == 0) { int rc = rlaif_tests_main(); if (rc != 0) return rc; }`
    : tests.map((test) => `if (std::strcmp(name, "${test}") == 0) ${test}();`).join('\n  else ');
  // Standard headers come first so the `main` renaming below cannot touch them.
  return `#include "${HEADER}"
#define main rlaif_candidate_main
#include "candidate.cpp"
#undef main
${wholeBlock ? '#define main rlaif_tests_main\n#include "tests.cpp"\n#undef main' : '#include "tests.cpp"'}
int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* name = argv[1];
  timespec start, stop;
  clock_gettime(CLOCK_MONOTONIC, &start);
  ${dispatch}
  ${wholeBlock ? '' : 'else return 3;'}
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

export const cpp: LanguageAdapter = {
  language: 'cpp',
  async prepare(candidate, tests): Promise<CompiledProgram> {
    const { names, hasMain } = await withTree('cpp', tests, (root) => {
      const functions = topLevelFunctions(root);
      const testNames = descendants(root, 'function_definition').length > 0 ? functions.filter((name) => /^test_\w+$/.test(name)) : [];
      return { names: [...new Set(testNames)], hasMain: functions.includes('main') };
    });
    const wholeBlock = names.length === 0;
    if (wholeBlock && !hasMain) throw new InvalidTestsError('C++ tests define neither `void test_xxx()` functions nor `int main()`');
    const testNames = wholeBlock ? [WHOLE_BLOCK_TEST] : names;
    const headers = [...new Set([...HARNESS_HEADERS, ...leadingStandardIncludes(candidate)])];
    return {
      files: { 'candidate.cpp': candidate, 'tests.cpp': tests, 'harness.cpp': harness(testNames, wholeBlock) },
      tests: testNames,
      lintFindings: [],
      sharedHeader: {
        name: HEADER,
        content: headers.map((header) => `#include <${header}>\n`).join(''),
        precompileCommand: (toolchain, dir) => [toolchain.executable, ...FLAGS, '-x', 'c++-header', '-o', `${dir}/${HEADER}.gch`, `${dir}/${HEADER}`],
      },
      compileCommand: (toolchain, includeDir) => [toolchain.executable, ...FLAGS, ...(toolchain.linkFlags ?? []), ...(includeDir ? ['-I', includeDir] : []), '-o', `${BUILD_DIR}/program`, `${BUILD_DIR}/harness.cpp`],
      testArgv: () => [`${BUILD_DIR}/program`],
      candidateWarnings(output) {
        const pattern = /^(?:\/build\/)?candidate\.cpp:(\d+):\d+: warning: (.*)$/;
        return output
          .split('\n')
          .map((line) => pattern.exec(line))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => `line ${match[1]}: ${match[2]}`);
      },
    };
  },
};
