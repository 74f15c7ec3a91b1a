/**
 * C++ group builds: the candidates of one `score` call compiled as one translation unit, each in a
 * namespace of its own with its own copy of the tests, and one `main` taking the member and the test.
 * The driver, the precompiled header's loading, the standard library's template code and the link
 * are then paid once per group. Wrapped code must mean exactly what it means alone, so a candidate
 * joins only when nothing in it can reach its siblings (cpp-tokens.ts `screenMember`), its top-level
 * names are unknown to the standard headers (lookup from inside the namespace then finds the same
 * declarations as from the global scope), and nothing in it runs before `main`; the built binary is
 * checked for the last (`startupAudit`).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { namedChildren } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import type { SharedBuild } from '../runner/shared-builds.js';
import type { Toolchain } from '../toolchains.js';
import { initSectionSizes } from '../util/elf.js';
import { matchingBraces, namespaceScopeNames } from './cpp-tokens.js';
import type { GroupAudit } from './program.js';

// The C++17 library's headers and the C headers in both spellings: the only ones a group may hoist (names.ii
// below preprocesses exactly these, so their names are known).
export const STANDARD_HEADERS = new Set([
  ...'algorithm any array atomic bitset chrono charconv complex condition_variable deque exception filesystem forward_list fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator limits list locale map memory memory_resource mutex new numeric optional ostream queue random ratio regex scoped_allocator set shared_mutex sstream stack stdexcept streambuf string string_view system_error thread tuple type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant vector bits/stdc++.h'.split(' '),
  ...'assert ctype errno fenv float inttypes limits locale math setjmp signal stdarg stddef stdint stdio stdlib string time uchar wchar wctype'.split(' ').flatMap((name) => [`c${name}`, `${name}.h`]),
]);

// Headers that bring code run before main (GCC 12: <iostream>'s std::ios_base::Init): with them in
// the unit, a candidate's own static initialisers could not be told apart in the binary.
export const STARTUP_HEADERS = new Set(['iostream', 'bits/stdc++.h']);

/** Sandbox directories of the group's shared builds. */
const NAMES_DIR = '/rlaif-cpp-names';
const BASELINE_DIR = '/rlaif-cpp-baseline';

/** Preprocesses every standard header once per toolchain: the names a wrapped candidate must not declare. */
export function standardNamesBuild(flags: readonly string[]): SharedBuild {
  return {
    name: 'cpp-names',
    sandboxDir: NAMES_DIR,
    // A header this toolchain lacks cannot be included by a candidate either: skip it rather than fail.
    files: { 'all.h': [...STANDARD_HEADERS].map((header) => `#if __has_include(<${header}>)\n#include <${header}>\n#endif\n`).join('') },
    product: 'names.ii',
    command: (toolchain) => [toolchain.executable, ...flags, '-E', '-P', '-o', `${NAMES_DIR}/names.ii`, `${NAMES_DIR}/all.h`],
  };
}

const namesByDir = new Map<string, Promise<Set<string>>>();

/** The namespace-scope names of the standard headers, read from the names build's directory. */
export function standardNames(dir: string): Promise<Set<string>> {
  let pending = namesByDir.get(dir);
  if (pending === undefined) {
    pending = readFile(join(dir, 'names.ii'), 'utf8').then(namespaceScopeNames);
    pending.catch(() => namesByDir.delete(dir));
    namesByDir.set(dir, pending);
  }
  return pending;
}

/** What an empty program's binary has in its start-up sections with this toolchain and these flags. */
function baselineBuild(flags: readonly string[], toolchain: Toolchain): SharedBuild {
  return {
    name: 'cpp-baseline',
    sandboxDir: BASELINE_DIR,
    files: { 'empty.cpp': 'int main() { return 0; }\n' },
    product: 'program',
    command: () => [toolchain.executable, ...flags, ...(toolchain.linkFlags ?? []), '-o', `${BASELINE_DIR}/program`, `${BASELINE_DIR}/empty.cpp`],
  };
}

/**
 * Accepts a group's binary only if its start-up and shut-down sections (.init_array, .fini_array,
 * .preinit_array, .ctors, .dtors, .init, .fini) are no larger than an empty program's: no member's
 * code runs before or after `main` in its siblings' test processes.
 */
export function startupAudit(flags: readonly string[], toolchain: Toolchain): GroupAudit {
  return {
    baseline: baselineBuild(flags, toolchain),
    async accepts(buildDir, baselineDir) {
      const [built, empty] = await Promise.all([initSectionSizes(join(buildDir, 'program')), initSectionSizes(join(baselineDir, 'program'))]);
      if (built === undefined || empty === undefined) return false;
      return [...built].every(([section, size]) => size <= (empty.get(section) ?? 0));
    },
  };
}

/** The name a declarator declares (through pointers, references, arrays, parentheses, initializers), or undefined when it is qualified or not understood. */
function declaratorName(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier' || node.type === 'type_identifier' || node.type === 'field_identifier') return node.text;
  if (node.type === 'operator_name') return node.text;
  if (node.type === 'template_function') return node.childForFieldName('name')?.text;
  if (node.type === 'parenthesized_declarator') return declaratorName(namedChildren(node)[0] ?? null);
  if (['function_declarator', 'pointer_declarator', 'reference_declarator', 'array_declarator', 'init_declarator', 'attributed_declarator'].includes(node.type)) {
    return declaratorName(node.childForFieldName('declarator') ?? namedChildren(node).find((child) => child.type.endsWith('declarator') || child.type.endsWith('identifier')) ?? null);
  }
  return undefined;
}

const SPECIFIERS = new Set(['struct_specifier', 'class_specifier', 'union_specifier', 'enum_specifier']);

/** Names a class/struct/union/enum specifier declares in the enclosing scope: its own and, for an enum, its enumerators. */
function specifierNames(node: Node): string[] | undefined {
  const name = node.childForFieldName('name');
  const body = node.childForFieldName('body');
  // An anonymous union or struct at namespace scope puts its members there.
  if (name === null && body !== null && node.type !== 'enum_specifier') return undefined;
  const names = name === null || name.type !== 'type_identifier' ? [] : [name.text];
  if (node.type === 'enum_specifier' && body !== null) {
    for (const enumerator of namedChildren(body)) {
      const enumeratorName = enumerator.childForFieldName('name');
      if (enumeratorName !== null) names.push(enumeratorName.text);
    }
  }
  return names;
}

/** Whether a declarator declares a function (`int f(int)`, `int *f()`) rather than a variable (`int (*f)(int)`, `int x`). */
function declaresFunction(declarator: Node): boolean {
  let node: Node | null = declarator;
  while (node !== null && (node.type === 'pointer_declarator' || node.type === 'reference_declarator')) node = node.childForFieldName('declarator');
  return node?.type === 'function_declarator' && node.childForFieldName('declarator')?.type !== 'parenthesized_declarator';
}

/**
 * Whether a namespace-scope declaration may need code at start-up: it defines a variable that is not
 * `constexpr` and either has a class (or deduced) type or an initializer calling something. A guess
 * made before building, to spare a failed group; the binary's start-up sections decide (`startupAudit`).
 */
function mayRunAtStartUp(declaration: Node): boolean {
  const declarators = declaration.childrenForFieldName('declarator').filter((child): child is Node => child !== null);
  const variables = declarators.filter((declarator) => !declaresFunction(declarator));
  if (variables.length === 0) return false;
  if (namedChildren(declaration).some((child) => child.type === 'type_qualifier' && child.text === 'constexpr')) return false;
  const type = declaration.childForFieldName('type');
  if (type === null || !['primitive_type', 'sized_type_specifier'].includes(type.type)) return true;
  return variables.some((variable) => variable.descendantsOfType(['call_expression', 'lambda_expression', 'new_expression']).length > 0);
}

/**
 * Whether tree-sitter understood everything but the insides of braced bodies: its C++ grammar trips
 * on some valid expressions (`a.x < b.x`), which do not matter here, as long as each body with an
 * error ends at the brace that closes its opening one (so no top-level code was swallowed).
 */
function parsesOutsideBodies(node: Node, braces: ReadonlyMap<number, number>): boolean {
  if (!node.hasError) return true;
  if (node.type === 'compound_statement' && braces.get(node.startIndex) === node.endIndex - 1) return true;
  if (node.type === 'ERROR' || node.isMissing) return false;
  return namedChildren(node).every((child) => parsesOutsideBodies(child, braces));
}

/**
 * The names `root`'s top level declares in its namespace, or a reason it cannot be wrapped: a construct
 * not understood here, an anonymous union at namespace scope, a language linkage, or a variable that
 * may need code at start-up.
 */
export function topLevelNames(root: Node, source: string): { names: string[] } | { reason: string } {
  const braces = matchingBraces(source);
  if (braces === undefined || !parsesOutsideBodies(root, braces)) return { reason: 'does not parse' };
  const names: string[] = [];
  const visit = (node: Node): string | undefined => {
    switch (node.type) {
      case 'comment':
      case 'static_assert_declaration':
        return undefined;
      case 'function_definition':
      case 'declaration':
      case 'type_definition': {
        const type = node.childForFieldName('type');
        if (type !== null && SPECIFIERS.has(type.type)) {
          const declared = specifierNames(type);
          if (declared === undefined) return 'an anonymous union or struct at namespace scope';
          names.push(...declared);
        }
        if (node.type === 'declaration' && mayRunAtStartUp(node)) return 'a namespace-scope variable that may be initialised at start-up';
        for (const declarator of node.childrenForFieldName('declarator')) {
          if (declarator === null) continue;
          const name = declaratorName(declarator);
          // Out-of-line member definitions (`int Foo::bar()`) declare no new name; anything else must be understood.
          if (name === undefined && declarator.descendantsOfType('qualified_identifier').length === 0) return `a declarator not understood (${declarator.type})`;
          if (name !== undefined) names.push(name);
        }
        return undefined;
      }
      case 'struct_specifier':
      case 'class_specifier':
      case 'union_specifier':
      case 'enum_specifier': {
        const declared = specifierNames(node);
        if (declared === undefined) return 'an anonymous union or struct at namespace scope';
        names.push(...declared);
        return undefined;
      }
      case 'alias_declaration': {
        const name = node.childForFieldName('name');
        if (name !== null) names.push(name.text);
        return undefined;
      }
      case 'template_declaration': {
        const inner = namedChildren(node).at(-1);
        return inner === undefined ? 'an empty template' : visit(inner);
      }
      case 'namespace_definition': {
        const name = node.childForFieldName('name');
        if (name !== null) {
          names.push(name.text);
          return undefined;
        }
        // An unnamed namespace's members are found as if declared in the enclosing one.
        for (const child of namedChildren(node.childForFieldName('body') ?? node)) {
          const reason = visit(child);
          if (reason !== undefined) return reason;
        }
        return undefined;
      }
      case 'using_declaration': {
        // `using namespace X;` declares nothing; `using X::name;` declares `name`.
        if (/^using\s+namespace\b/.test(node.text)) return undefined;
        const target = namedChildren(node).at(-1);
        const name = target?.type === 'qualified_identifier' ? target.childForFieldName('name')?.text : target?.text;
        if (name === undefined) return 'a using-declaration not understood';
        names.push(name);
        return undefined;
      }
      default:
        return `a top-level ${node.type}`;
    }
  };
  for (const child of namedChildren(root)) {
    const reason = visit(child);
    if (reason !== undefined) return { reason };
  }
  return { names };
}

// Members' namespaces carry a per-process secret, so no candidate can name a sibling.
const NAMESPACE_SECRET = randomBytes(6).toString('hex');

/** The namespace member `i` is wrapped in. */
export const memberNamespace = (member: number) => `rlaif_c${member}_${NAMESPACE_SECRET}`;

/** Sandbox directory of member `i`'s files, under the build directory; mapped back to it in __FILE__. */
export const memberDir = (member: number) => String(member);

/**
 * The members a failed group build's errors belong to: the member whose file an error is located in,
 * else the members named by its context (`In instantiation of`, `required from here`) printed just
 * before it. Notes are skipped: they point at declarations the error merely mentions.
 */
export function membersInErrors(output: string, buildDir: string): number[] {
  const path = new RegExp(`${buildDir}/(\\d+)/(?:candidate|tests)\\.cpp`, 'g');
  const blamed = new Set<number>();
  let context: number[] = [];
  for (const line of output.split('\n')) {
    const named = [...line.matchAll(path)].map((match) => Number(match[1]));
    if (/: (?:fatal )?error: /.test(line)) {
      for (const member of named.length > 0 ? named : context) blamed.add(member);
      context = [];
    } else if (/: (?:warning|note): /.test(line)) context = [];
    else context.push(...named);
  }
  return [...blamed];
}
