/**
 * Python tests: assert-based code run after the candidate. Each top-level `def test_*()` is one
 * test; with none, the whole block is one test. Tests see the candidate's names directly and can
 * also `from solution import ...`.
 */
import { namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import { lintPython } from './python-lint.js';
import { BUILD_DIR, VERDICT_TAG, WHOLE_BLOCK_TEST } from './program.js';
import type { LanguageAdapter, Program } from './program.js';

// The harness loads the candidate as module `solution`, runs one test, then, only if it returned,
// reads the nonce from stdin and prints the verdict line with the test's own run time.
// Files are found beside the harness, so the bench's unsandboxed baseline runs it unchanged.
const HARNESS = `import os, sys, time, types
_rlaif_dir = os.path.dirname(os.path.abspath(__file__))
def _rlaif_run(name):
    solution = types.ModuleType("solution")
    sys.modules["solution"] = solution
    with open(os.path.join(_rlaif_dir, "candidate.py"), encoding="utf-8") as f:
        exec(compile(f.read(), "candidate.py", "exec"), solution.__dict__)
    scope = dict(solution.__dict__)
    scope["__name__"] = "tests"
    with open(os.path.join(_rlaif_dir, "tests.py"), encoding="utf-8") as f:
        code = compile(f.read(), "tests.py", "exec")
    start = time.perf_counter_ns()
    exec(code, scope)
    if name != "${WHOLE_BLOCK_TEST}":
        start = time.perf_counter_ns()
        scope[name]()
    elapsed = time.perf_counter_ns() - start
    sys.stdout.flush()
    nonce = sys.stdin.readline().strip()
    sys.stdout.write("\\n${VERDICT_TAG} %s %s %d\\n" % (nonce, name, elapsed))
    sys.stdout.flush()
_rlaif_run(sys.argv[1])
`;

// Syntax check of both files with every warning shown; nothing is executed.
const CHECK = `import sys, warnings
warnings.simplefilter("always")
for name in ("candidate.py", "tests.py"):
    with open(name, encoding="utf-8") as f:
        compile(f.read(), name, "exec")
`;

function testFunctions(root: Node): string[] {
  const names: string[] = [];
  for (const child of namedChildren(root)) {
    const definition = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (definition?.type !== 'function_definition') continue;
    const name = definition.childForFieldName('name')?.text;
    if (name?.startsWith('test_')) names.push(name);
  }
  return names;
}

export const python: LanguageAdapter = {
  language: 'python',
  async prepare(candidate, tests): Promise<Program> {
    const names = await withTree('python', tests, testFunctions);
    const lintFindings = await lintPython(candidate);
    return {
      files: { 'candidate.py': candidate, 'tests.py': tests, 'harness.py': HARNESS, 'check.py': CHECK },
      tests: names.length > 0 ? [...new Set(names)] : [WHOLE_BLOCK_TEST],
      lintFindings,
      compileCommand: (toolchain) => [toolchain.executable, '-I', '-B', `${BUILD_DIR}/check.py`],
      testCommand: (toolchain, name) => [toolchain.executable, '-I', '-B', `${BUILD_DIR}/harness.py`, name],
      candidateWarnings(output) {
        return output
          .split('\n')
          .filter((line) => /^candidate\.py:\d+: \w*Warning/.test(line))
          .map((line) => line.replace(/^candidate\.py:(\d+): /, 'line $1: '));
      },
    };
  },
};
