import type { Language } from '../contracts/task.js';

const FENCE_TAGS: Readonly<Record<Language, readonly string[]>> = {
  python: ['python', 'py', 'python3'],
  cpp: ['cpp', 'c++', 'cc', 'cxx'],
  rust: ['rust', 'rs'],
};

/**
 * The code in a model's reply (a student's completion or a teacher's reference): the first fenced
 * block tagged with `language`, else the longest fenced block, else the body of an unterminated
 * fence (a reply cut off by max tokens), else the whole reply. Leading blank lines and trailing
 * whitespace are dropped; indentation is kept.
 */
export function extractCode(reply: string, language?: Language): string {
  const blocks = [...reply.matchAll(/(`{3,})([^\n`]*)\n([\s\S]*?)\n?\1/g)].map((m) => ({ tag: (m[2] ?? '').trim().toLowerCase(), body: m[3] ?? '' }));
  const tagged = language ? blocks.find((block) => FENCE_TAGS[language].includes(block.tag.split(/\s/)[0] ?? '')) : undefined;
  const longest = blocks.reduce<(typeof blocks)[number] | undefined>((best, block) => (!best || block.body.length > best.body.length ? block : best), undefined);
  const chosen = tagged ?? longest;
  if (chosen) return tidy(chosen.body);
  const open = /(^|\n)\s*`{3,}[^\n]*\n([\s\S]*)$/.exec(reply);
  return tidy(open ? (open[2] ?? '') : reply);
}

function tidy(code: string): string {
  return code.replace(/^(\s*\n)+/, '').trimEnd();
}

// A line only code has: a statement or definition, not a sentence.
const CODE_LINE: Readonly<Record<Language, RegExp>> = {
  python: /^\s*(def|class|import|from|return|if|for|while|with|try|async|lambda|print)\b|^\s*@\w|^\s*[A-Za-z_][\w.[\]]*\s*(=[^=]|\()/m,
  cpp: /^\s*#\s*include\b|[;{}]\s*(\/\/.*)?$/m,
  rust: /^\s*(fn|use|impl|struct|enum|pub|mod|let)\b|[;{}]\s*(\/\/.*)?$/m,
};

/** Whether extracted text holds code in `language` (a refusal or prose does not). */
export function looksLikeCode(code: string, language: Language): boolean {
  return code.trim() !== '' && CODE_LINE[language].test(code);
}
