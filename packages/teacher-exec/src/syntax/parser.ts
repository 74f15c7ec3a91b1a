/**
 * Tree-sitter parsers for Python, C++ and Rust (web-tree-sitter + the prebuilt grammars of
 * tree-sitter-wasms), loaded once per process on first use.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language as Grammar, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';
import type { Language } from '@rlaif/core';
import { SandboxError } from '@rlaif/core';

export type { Node, Tree };

const GRAMMAR_FILE: Record<Language, string> = {
  python: 'tree-sitter-python.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  rust: 'tree-sitter-rust.wasm',
};

let initialised: Promise<void> | undefined;
const grammars = new Map<Language, Promise<Grammar>>();
// web-tree-sitter links each grammar into one shared WebAssembly module; two loads in flight at
// once can resolve one grammar's symbols against the other's half-linked exports ("bad export type
// for 'tree_sitter_rust_external_scanner_create'"), failing the first scoring of a batch that mixes
// languages. So grammars load one at a time.
let loading: Promise<unknown> = Promise.resolve();

function grammarPath(language: Language): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out', GRAMMAR_FILE[language]);
}

async function loadGrammar(language: Language): Promise<Grammar> {
  initialised ??= Parser.init();
  await initialised;
  let pending = grammars.get(language);
  if (pending === undefined) {
    pending = loading.then(() => Grammar.load(grammarPath(language))).catch((error: unknown) => {
      grammars.delete(language);
      throw new SandboxError(`could not load the tree-sitter grammar for ${language}: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'reinstall the dependencies of @rlaif/teacher-exec (npm install) so tree-sitter-wasms/out/*.wasm exist',
        cause: error,
      });
    });
    grammars.set(language, pending);
    loading = pending.catch(() => undefined);
  }
  return pending;
}

/** Parses `source`; the caller must `delete()` the tree when done. */
export async function parse(language: Language, source: string): Promise<Tree> {
  const grammar = await loadGrammar(language);
  const parser = new Parser();
  try {
    parser.setLanguage(grammar);
    const tree = parser.parse(source);
    if (tree === null) throw new SandboxError(`tree-sitter returned no tree for ${language} source`, { hint: 'report this with the code that caused it' });
    return tree;
  } finally {
    parser.delete();
  }
}

/** Parses, hands the tree to `use`, and frees it. */
export async function withTree<T>(language: Language, source: string, use: (root: Node) => T): Promise<T> {
  const tree = await parse(language, source);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** Named children without the nulls web-tree-sitter's typings allow. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** All descendants of the given types, in source order. */
export function descendants(node: Node, types: string | string[]): Node[] {
  return node.descendantsOfType(types).filter((child): child is Node => child !== null);
}
