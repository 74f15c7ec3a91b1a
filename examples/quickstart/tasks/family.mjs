/**
 * The quickstart's task family: small functions over a list of non-negative integers that compose a
 * filter (predicate), a map (operation) and a reduction, written the same way in Python, C++ and Rust.
 * A spec is { shape, pred: { kind, k }, map: { kind, k } | null }; this file gives its meaning, its
 * English prompt, and its reference solution and tests in each language.
 */

/** Languages, with the field values teacher-exec expects. */
export const LANGUAGES = ['python', 'cpp', 'rust'];

/** How the filtered/mapped items are reduced; `count` has no map. */
export const SHAPES = ['sum', 'list', 'count', 'cond'];

/** Predicate kinds and the constants each may take (odd/even take none). */
export const PREDICATES = {
  gt: [2, 3, 4, 5, 6, 7, 8, 9],
  lt: [2, 3, 4, 5, 6, 7, 8, 9],
  div: [3, 4, 5],
  odd: [null],
  even: [null],
};

/** Map kinds and their constants (sq takes none). */
export const MAPS = {
  add: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  sub: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  mul: [2, 3, 4, 5, 6, 7, 8, 9],
  sq: [null],
};

/** Every concrete spec of one shape (all predicate and map constants). */
export function allSpecs(shape) {
  const specs = [];
  for (const [predKind, predKs] of Object.entries(PREDICATES)) {
    for (const pk of predKs) {
      if (shape === 'count') {
        specs.push({ shape, pred: { kind: predKind, k: pk }, map: null });
        continue;
      }
      for (const [mapKind, mapKs] of Object.entries(MAPS)) {
        for (const mk of mapKs) specs.push({ shape, pred: { kind: predKind, k: pk }, map: { kind: mapKind, k: mk } });
      }
    }
  }
  return specs;
}

function holds(pred, x) {
  switch (pred.kind) {
    case 'gt':
      return x > pred.k;
    case 'lt':
      return x < pred.k;
    case 'div':
      return x % pred.k === 0;
    case 'odd':
      return x % 2 === 1;
    case 'even':
      return x % 2 === 0;
  }
  throw new Error(`unknown predicate ${pred.kind}`);
}

function apply(map, x) {
  switch (map.kind) {
    case 'add':
      return x + map.k;
    case 'sub':
      return x - map.k;
    case 'mul':
      return x * map.k;
    case 'sq':
      return x * x;
  }
  throw new Error(`unknown map ${map.kind}`);
}

/** What the function returns for `xs`: a number (sum, count) or a list (list, cond). */
export function evaluate(spec, xs) {
  switch (spec.shape) {
    case 'sum':
      return xs.filter((x) => holds(spec.pred, x)).reduce((total, x) => total + apply(spec.map, x), 0);
    case 'list':
      return xs.filter((x) => holds(spec.pred, x)).map((x) => apply(spec.map, x));
    case 'count':
      return xs.filter((x) => holds(spec.pred, x)).length;
    case 'cond':
      return xs.map((x) => (holds(spec.pred, x) ? apply(spec.map, x) : x));
  }
  throw new Error(`unknown shape ${spec.shape}`);
}

/** Short label of a predicate or map, e.g. `gt 3`, `sq`; used in the JSONL fields. */
export function label(part) {
  return part.k === null ? part.kind : `${part.kind} ${part.k}`;
}

const PRED_WORDS = { gt: 'greater than K', lt: 'less than K', div: 'divisible by K', odd: 'odd', even: 'even' };
const MAP_WORDS = { add: 'x plus K', sub: 'x minus K', mul: 'x times K', sq: 'x squared' };

function words(table, part) {
  return table[part.kind].replace('K', String(part.k));
}

const returnsList = (shape) => shape === 'list' || shape === 'cond';

const SIGNATURES = {
  python: (name, list) => `def ${name}(xs: list[int]) -> ${list ? 'list[int]' : 'int'}`,
  cpp: (name, list) => `${list ? 'std::vector<int>' : 'int'} ${name}(const std::vector<int>& xs)`,
  rust: (name, list) => `fn ${name}(xs: &[i64]) -> ${list ? 'Vec<i64>' : 'i64'}`,
};

/** The instruction; the same English in every language, only the signature differs. */
export function prompt(spec, language, name) {
  const signature = SIGNATURES[language](name, returnsList(spec.shape));
  const pred = words(PRED_WORDS, spec.pred);
  switch (spec.shape) {
    case 'sum':
      return `Write \`${signature}\` that returns the sum of ${words(MAP_WORDS, spec.map)} for each x in xs that is ${pred}.`;
    case 'list':
      return `Write \`${signature}\` that returns the list of ${words(MAP_WORDS, spec.map)} for each x in xs that is ${pred}.`;
    case 'count':
      return `Write \`${signature}\` that returns how many x in xs are ${pred}.`;
    case 'cond':
      return `Write \`${signature}\` that returns the list of ${words(MAP_WORDS, spec.map)} if x is ${pred}, else x, for each x in xs.`;
  }
  throw new Error(`unknown shape ${spec.shape}`);
}

// Expressions are spelled identically in the three languages (inputs are non-negative, so `%` agrees).
function predExpr(pred) {
  switch (pred.kind) {
    case 'gt':
      return `x > ${pred.k}`;
    case 'lt':
      return `x < ${pred.k}`;
    case 'div':
      return `x % ${pred.k} == 0`;
    case 'odd':
      return 'x % 2 == 1';
    case 'even':
      return 'x % 2 == 0';
  }
  throw new Error(`unknown predicate ${pred.kind}`);
}

function mapExpr(map) {
  switch (map.kind) {
    case 'add':
      return `x + ${map.k}`;
    case 'sub':
      return `x - ${map.k}`;
    case 'mul':
      return `x * ${map.k}`;
    case 'sq':
      return 'x * x';
  }
  throw new Error(`unknown map ${map.kind}`);
}

function pythonBody(spec) {
  const p = predExpr(spec.pred);
  switch (spec.shape) {
    case 'sum':
      return `sum(${mapExpr(spec.map)} for x in xs if ${p})`;
    case 'list':
      return `[${mapExpr(spec.map)} for x in xs if ${p}]`;
    case 'count':
      return `sum(1 for x in xs if ${p})`;
    case 'cond':
      return `[${mapExpr(spec.map)} if ${p} else x for x in xs]`;
  }
  throw new Error(`unknown shape ${spec.shape}`);
}

function cppLoop(spec) {
  const p = predExpr(spec.pred);
  switch (spec.shape) {
    case 'sum':
      return `    int total = 0;\n    for (int x : xs) if (${p}) total += ${mapExpr(spec.map)};\n    return total;`;
    case 'count':
      return `    int total = 0;\n    for (int x : xs) if (${p}) total += 1;\n    return total;`;
    case 'list':
      return `    std::vector<int> out;\n    for (int x : xs) if (${p}) out.push_back(${mapExpr(spec.map)});\n    return out;`;
    case 'cond':
      return `    std::vector<int> out;\n    for (int x : xs) out.push_back(${p} ? ${mapExpr(spec.map)} : x);\n    return out;`;
  }
  throw new Error(`unknown shape ${spec.shape}`);
}

function rustChain(spec) {
  const p = predExpr(spec.pred);
  switch (spec.shape) {
    case 'sum':
      return `xs.iter().filter(|&&x| ${p}).map(|&x| ${mapExpr(spec.map)}).sum()`;
    case 'list':
      return `xs.iter().filter(|&&x| ${p}).map(|&x| ${mapExpr(spec.map)}).collect()`;
    case 'count':
      return `xs.iter().filter(|&&x| ${p}).count() as i64`;
    case 'cond':
      return `xs.iter().map(|&x| if ${p} { ${mapExpr(spec.map)} } else { x }).collect()`;
  }
  throw new Error(`unknown shape ${spec.shape}`);
}

/** The reference solution: the signature of the prompt and a one-to-three-line body. */
export function reference(spec, language, name) {
  const signature = SIGNATURES[language](name, returnsList(spec.shape));
  switch (language) {
    case 'python':
      return `${signature}:\n    return ${pythonBody(spec)}\n`;
    case 'cpp':
      return `#include <vector>\n\n${signature} {\n${cppLoop(spec)}\n}\n`;
    case 'rust':
      return `${signature} {\n    ${rustChain(spec)}\n}\n`;
  }
  throw new Error(`unknown language ${language}`);
}

function literal(language, value) {
  if (typeof value === 'number') return String(value);
  const items = value.join(', ');
  switch (language) {
    case 'python':
      return `[${items}]`;
    case 'cpp':
      return `std::vector<int>{${items}}`;
    case 'rust':
      return value.length === 0 ? 'Vec::<i64>::new()' : `vec![${items}]`;
  }
  throw new Error(`unknown language ${language}`);
}

/** Tests in teacher-exec's formats: Python `def test_*`, C++ `void test_*()` with assert, Rust `#[test]`. */
export function tests(spec, language, name, inputs) {
  const cases = inputs.map((xs, i) => ({ n: i + 1, xs, expected: evaluate(spec, xs) }));
  switch (language) {
    case 'python':
      return cases.map((c) => `def test_${c.n}():\n    assert ${name}([${c.xs.join(', ')}]) == ${literal('python', c.expected)}\n`).join('\n\n');
    case 'cpp': {
      // Extra parentheses keep the braces of a vector literal from splitting the assert macro's arguments.
      const body = cases.map((c) => `void test_${c.n}() { assert((${name}({${c.xs.join(', ')}}) == ${literal('cpp', c.expected)})); }`).join('\n');
      return `#include <cassert>\n#include <vector>\n\n${body}\n`;
    }
    case 'rust':
      return cases.map((c) => `#[test]\nfn test_${c.n}() {\n    assert_eq!(${name}(&[${c.xs.join(', ')}]), ${literal('rust', c.expected)});\n}\n`).join('\n');
  }
  throw new Error(`unknown language ${language}`);
}
