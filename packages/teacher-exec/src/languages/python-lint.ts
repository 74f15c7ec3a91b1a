/**
 * A few pyflakes-style checks on the tree-sitter tree of a Python candidate: unused imports,
 * wildcard imports, bare `except:`, `== None`, and mutable default arguments.
 */
import { descendants, namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';

function importedNames(statement: Node): { name: string; node: Node }[] {
  const names: { name: string; node: Node }[] = [];
  const moduleName = statement.type === 'import_from_statement' ? statement.childForFieldName('module_name') : null;
  for (const child of namedChildren(statement)) {
    // Nodes are fresh wrapper objects on every access: compare ids, not references.
    if (moduleName !== null && child.id === moduleName.id) continue;
    if (child.type === 'aliased_import') {
      const alias = child.childForFieldName('alias');
      if (alias) names.push({ name: alias.text, node: child });
    } else if (child.type === 'dotted_name') {
      // `import a.b` binds `a`.
      names.push({ name: child.text.split('.')[0] ?? child.text, node: child });
    }
  }
  return names;
}

/** Findings as `line N: message`, in source order. */
export function lintPython(source: string): Promise<string[]> {
  return withTree('python', source, (root) => {
    const findings: { line: number; message: string }[] = [];
    const add = (node: Node, message: string) => findings.push({ line: node.startPosition.row + 1, message });
    const used = new Set<string>();
    for (const identifier of descendants(root, 'identifier')) {
      const parent = identifier.parent;
      if (parent && (parent.type === 'dotted_name' || parent.type === 'aliased_import') && parent.parent && /import/.test(parent.parent.type)) continue;
      used.add(identifier.text);
    }
    for (const statement of descendants(root, ['import_statement', 'import_from_statement'])) {
      if (statement.parent?.type !== 'module') continue;
      if (statement.text.includes('__future__')) continue;
      if (descendants(statement, 'wildcard_import').length > 0) add(statement, 'wildcard import');
      for (const { name, node } of importedNames(statement)) if (!used.has(name)) add(node, `'${name}' imported but unused`);
    }
    for (const clause of descendants(root, 'except_clause')) {
      const first = namedChildren(clause)[0];
      if (first === undefined || first.type === 'block') add(clause, 'bare except');
    }
    for (const comparison of descendants(root, 'comparison_operator')) {
      if (/(==|!=)\s*None\b|\bNone\s*(==|!=)/.test(comparison.text)) add(comparison, 'comparison to None should use is / is not');
    }
    for (const parameter of descendants(root, ['default_parameter', 'typed_default_parameter'])) {
      const value = parameter.childForFieldName('value');
      if (value && ['list', 'dictionary', 'set'].includes(value.type)) add(parameter, 'mutable default argument');
    }
    return findings.sort((a, b) => a.line - b.line).map((f) => `line ${f.line}: ${f.message}`);
  });
}
