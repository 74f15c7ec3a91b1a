/**
 * The documentation dimension, from the syntax tree: the share of functions and types that carry
 * a docstring or an adjacent comment, blended with comment density.
 *
 *   documentation = 0.7 · documented / definitions + 0.3 · min(1, commentLines / (0.15 · codeLines))
 *   (only the density term when the code has no definitions; 0 for empty code)
 */
import type { Language } from '@rlaif/core';
import { descendants, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';

/** What the documentation score was computed from. */
export interface DocumentationFacts {
  readonly definitions: number;
  readonly documented: number;
  readonly commentLines: number;
  readonly codeLines: number;
  readonly score: number;
}

const DEFINITIONS: Record<Language, string[]> = {
  python: ['function_definition', 'class_definition'],
  cpp: ['function_definition', 'class_specifier', 'struct_specifier'],
  rust: ['function_item', 'struct_item', 'enum_item', 'trait_item'],
};

const COMMENTS: Record<Language, string[]> = {
  python: ['comment'],
  cpp: ['comment'],
  rust: ['line_comment', 'block_comment'],
};

function pythonDocstring(definition: Node): Node | undefined {
  const first = definition.childForFieldName('body')?.namedChildren[0];
  const expression = first?.type === 'expression_statement' ? first.namedChildren[0] : undefined;
  return expression?.type === 'string' ? expression : undefined;
}

/** A comment ending on the line just above `node` (skipping attributes, decorators, template headers). */
function hasLeadingComment(node: Node, language: Language): boolean {
  let anchor: Node = node;
  // A C++ template or a Python decorator wraps the definition; the comment sits above the wrapper.
  while (anchor.parent && ['template_declaration', 'decorated_definition'].includes(anchor.parent.type)) anchor = anchor.parent;
  let line = anchor.startPosition.row;
  for (let previous = anchor.previousSibling; previous; previous = previous.previousSibling) {
    if (previous.type === 'attribute_item') {
      line = previous.startPosition.row;
      continue;
    }
    if (!COMMENTS[language].includes(previous.type)) return false;
    return line - previous.endPosition.row <= 1;
  }
  return false;
}

function isCppDefinitionWithBody(node: Node): boolean {
  return node.type === 'function_definition' || node.childForFieldName('body') !== null;
}

/** Scores the documentation of `code`. */
export function documentationFacts(language: Language, code: string): Promise<DocumentationFacts> {
  return withTree(language, code, (root) => {
    const definitions = descendants(root, DEFINITIONS[language]).filter((node) => language !== 'cpp' || isCppDefinitionWithBody(node));
    const commentRows = new Set<number>();
    const addRows = (node: Node) => {
      for (let row = node.startPosition.row; row <= node.endPosition.row; row++) commentRows.add(row);
    };
    descendants(root, COMMENTS[language]).forEach(addRows);
    let documented = 0;
    for (const definition of definitions) {
      const docstring = language === 'python' ? pythonDocstring(definition) : undefined;
      if (docstring) addRows(docstring);
      if (docstring || hasLeadingComment(definition, language)) documented++;
    }
    if (language === 'python') {
      const moduleDoc = root.namedChildren[0];
      if (moduleDoc?.type === 'expression_statement' && moduleDoc.namedChildren[0]?.type === 'string') addRows(moduleDoc);
    }
    const codeLines = code.split('\n').filter((line) => line.trim() !== '').length;
    const density = codeLines === 0 ? 0 : Math.min(1, commentRows.size / (0.15 * codeLines));
    const score = codeLines === 0 ? 0 : definitions.length === 0 ? density : 0.7 * (documented / definitions.length) + 0.3 * density;
    return { definitions: definitions.length, documented, commentLines: commentRows.size, codeLines, score };
  });
}
