/**
 * A small C++ tokenizer (comments, string, character and raw string literals, numbers with digit
 * separators, identifiers, punctuation) for two questions a group build must answer without the
 * compiler: could this code reach outside the namespace it is wrapped in (`screenMember`), and which
 * names do the standard headers declare at namespace scope (`namespaceScopeNames`).
 */

/** One token; literals and comments are single tokens, so nothing inside them is read as code. */
export interface Token {
  readonly kind: 'identifier' | 'string' | 'char' | 'number' | 'punct' | 'comment';
  readonly text: string;
  /** Offset of the token's first character in the text. */
  readonly start: number;
}

const ENCODING_PREFIXES = new Set(['u8', 'u', 'U', 'L']);
const RAW_PREFIXES = new Set(['R', 'u8R', 'uR', 'UR', 'LR']);
// Sticky patterns, matched at a given offset (a character at a time would take seconds on preprocessed headers).
const SPACE = /\s+/y;
const IDENTIFIER = /[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/y;
// pp-number: digits, letters, dots, digit separators ('), and signs after an exponent.
const NUMBER = /\.?\d(?:[eEpP][+-]|'[\w$\u0080-\uffff]|[\w$.\u0080-\uffff])*/y;

/** The match of sticky `pattern` at `at`, or undefined. */
function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** Index just past the quoted literal opening at `start` (`quote` is `"` or `'`), or -1 when it never closes on its line. */
function quotedEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
    else if (c === '\n') return -1;
  }
  return -1;
}

/** Index just past the raw string whose `"` is at `quote`, or -1 when malformed. */
function rawStringEnd(text: string, quote: number): number {
  const open = text.indexOf('(', quote);
  const delimiter = open < 0 ? '' : text.slice(quote + 1, open);
  if (open < 0 || delimiter.length > 16 || /[\s()\\]/.test(delimiter)) return -1;
  const close = text.indexOf(`)${delimiter}"`, open + 1);
  return close < 0 ? -1 : close + delimiter.length + 2;
}

/** Tokens of `text`, or undefined when a literal or comment does not close (the code is not understood). */
export function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1] ?? '';
    const space = matchAt(SPACE, text, i);
    const number = space === undefined ? matchAt(NUMBER, text, i) : undefined;
    const word = space === undefined && number === undefined ? matchAt(IDENTIFIER, text, i) : undefined;
    if (space !== undefined) {
      i += space.length;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      tokens.push({ kind: 'comment', text: text.slice(i, stop), start: i });
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      tokens.push({ kind: 'comment', text: text.slice(i, end + 2), start: i });
      i = end + 2;
    } else if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, start: i });
      i += number.length;
    } else if (word !== undefined) {
      const j = i + word.length;
      const after = text[j] ?? '';
      if (after === '"' && RAW_PREFIXES.has(word)) {
        const end = rawStringEnd(text, j);
        if (end < 0) return undefined;
        tokens.push({ kind: 'string', text: text.slice(i, end), start: i });
        i = end;
      } else if ((after === '"' || after === "'") && ENCODING_PREFIXES.has(word)) {
        const end = quotedEnd(text, j, after);
        if (end < 0) return undefined;
        tokens.push({ kind: after === '"' ? 'string' : 'char', text: text.slice(i, end), start: i });
        i = end;
      } else {
        tokens.push({ kind: 'identifier', text: word, start: i });
        i = j;
      }
    } else if (c === '"' || c === "'") {
      const end = quotedEnd(text, i, c);
      if (end < 0) return undefined;
      tokens.push({ kind: c === '"' ? 'string' : 'char', text: text.slice(i, end), start: i });
      i = end;
    } else {
      // Two-character spellings that matter here: digraphs of #, { and }, and the start of a trigraph.
      const pair = c + next;
      const wide = pair === '%:' || pair === '<%' || pair === '%>' || pair === '??' || pair === '::';
      tokens.push({ kind: 'punct', text: wide ? pair : c, start: i });
      i += wide ? 2 : 1;
    }
  }
  return tokens;
}

// Spellings that reach beyond the candidate's own namespace or process: inline assembly and symbol
// names (asm labels), attributes (constructor, section, alias, weak, visibility...), pragmas, and a
// counter shared by the whole translation unit.
const OUTSIDE_REACH = new Set(['asm', '__asm', '__asm__', '_Pragma', '__attribute', '__attribute__', '__declspec', 'gnu', '__gnu__', '__COUNTER__', '__has_include', '__has_include_next']);

/**
 * Why code cannot share a translation unit with other candidates, or undefined when it can: any
 * preprocessor directive or digraph/trigraph spelling of one, a line splice, a `}` that closes more
 * than the code opened (leaving its namespace), unbalanced braces, digraph braces, language
 * linkage (`extern "C"`), or a spelling from OUTSIDE_REACH.
 */
export function screenMember(text: string): string | undefined {
  if (/\\\s*\n/.test(text)) return 'a line splice (backslash-newline)';
  const tokens = tokenize(text);
  if (tokens === undefined) return 'a literal or comment that does not close';
  let depth = 0;
  for (const [index, token] of tokens.entries()) {
    if (token.kind === 'punct') {
      if (token.text === '#' || token.text === '%:' || token.text === '??') return `a preprocessor directive or trigraph (${token.text})`;
      if (token.text === '<%' || token.text === '%>') return 'a digraph brace';
      if (token.text === '{') depth++;
      if (token.text === '}' && --depth < 0) return 'a } that closes more than the code opened';
    } else if (token.kind === 'identifier') {
      if (OUTSIDE_REACH.has(token.text)) return `\`${token.text}\``;
      if (token.text === 'extern' && tokens[index + 1]?.kind === 'string') return 'a language linkage (extern "...")';
    }
  }
  return depth === 0 ? undefined : 'braces that do not balance';
}

/** Offset of each `{` mapped to the offset of the `}` that closes it, or undefined when the code does not tokenize. */
export function matchingBraces(text: string): Map<number, number> | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined) return undefined;
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (const token of tokens) {
    if (token.kind !== 'punct') continue;
    if (token.text === '{') open.push(token.start);
    if (token.text === '}') {
      const start = open.pop();
      if (start !== undefined) pairs.set(start, token.start);
    }
  }
  return pairs;
}

/**
 * Identifiers that occur at namespace scope in preprocessed header text: outside every class,
 * function and initializer body, plus the enumerators of unscoped enums there. A superset of the
 * names the headers declare in the global namespace or any namespace (std, ...), which is what a
 * wrapped candidate's own top-level names must avoid to mean the same as at global scope.
 */
export function namespaceScopeNames(text: string): Set<string> {
  const names = new Set<string>();
  const tokens = tokenize(text) ?? [];
  // Each open brace: does it open a namespace (or linkage block), an unscoped enum, or anything else?
  const open: ('namespace' | 'enum' | 'other')[] = [];
  // What the current statement (since the last `;`, `{` or `}`) has shown so far.
  let statement = new Set<string>();
  let previous: Token | undefined;
  let beforePrevious: Token | undefined;
  for (const token of tokens) {
    const top = open.at(-1);
    const atNamespaceScope = top === undefined || top === 'namespace';
    if (token.kind === 'identifier' && (atNamespaceScope || (top === 'enum' && (open.at(-2) ?? 'namespace') === 'namespace'))) names.add(token.text);
    if (token.kind === 'punct' && (token.text === '{' || token.text === '}' || token.text === ';')) {
      if (token.text === '{') {
        let kind: 'namespace' | 'enum' | 'other' = 'other';
        if (atNamespaceScope) {
          if (statement.has('namespace') && !statement.has('=')) kind = 'namespace';
          else if (previous?.kind === 'string' && beforePrevious?.text === 'extern') kind = 'namespace';
          else if (statement.has('enum') && !statement.has('class') && !statement.has('struct') && !statement.has('(')) kind = 'enum';
        }
        open.push(kind);
      } else if (token.text === '}') open.pop();
      statement = new Set();
    } else if (token.kind !== 'comment') {
      statement.add(token.text);
    }
    if (token.kind !== 'comment') [beforePrevious, previous] = [previous, token];
  }
  return names;
}
