/**
 * Python tests: assert-based code run after the candidate. Each top-level `def test_*()` is one
 * test; with none, the whole block is one test. Tests see the candidate's names directly and can
 * also `from solution import ...`.
 */
import { namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import { lintPython } from './python-lint.js';
import { BUILD_DIR, WHOLE_BLOCK_TEST } from './program.js';
import type { LanguageAdapter, ServedProgram } from './program.js';
import { PYTHON_SERVER } from './python-server.js';

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
  async prepare(candidate, tests): Promise<ServedProgram> {
    const names = await withTree('python', tests, testFunctions);
    const lintFindings = await lintPython(candidate);
    const testNames = names.length > 0 ? [...new Set(names)] : [WHOLE_BLOCK_TEST];
    return {
      files: { 'candidate.py': candidate, 'tests.py': tests, 'server.py': PYTHON_SERVER },
      tests: testNames,
      lintFindings,
      serveCommand: (toolchain, wallMs, outputBytes) => [toolchain.executable, '-I', '-B', `${BUILD_DIR}/server.py`, String(wallMs), String(outputBytes), ...testNames],
      candidateWarnings(output) {
        return output
          .split('\n')
          .filter((line) => /^candidate\.py:\d+: \w*Warning/.test(line))
          .map((line) => line.replace(/^candidate\.py:(\d+): /, 'line $1: '));
      },
    };
  },
};
