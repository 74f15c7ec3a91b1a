/**
 * Rust tests: `#[test]` functions (at the top level or in `mod tests`), each run in its own
 * process by a generated `main`; `#[should_panic]` is honoured and `Result`-returning tests must
 * return `Ok`. With no `#[test]` functions, the tests' own `fn main()` is the single test.
 */
import { randomBytes } from 'node:crypto';
import { namedChildren, withTree } from '../syntax/parser.js';
import type { Node } from '../syntax/parser.js';
import { BUILD_DIR, InvalidTestsError, VERDICT_TAG, WHOLE_BLOCK_TEST } from './program.js';
import type { CompiledProgram, LanguageAdapter, ProgramGroup } from './program.js';
import type { Toolchain } from '../toolchains.js';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface RustTest {
  readonly path: string;
  readonly shouldPanic: boolean;
}

/** Applies non-overlapping edits, last first, so earlier offsets stay valid. */
function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Blanks a node but keeps its newlines, so line numbers in diagnostics stay true. */
function blank(node: Node): Edit {
  return { start: node.startIndex, end: node.endIndex, text: node.text.replace(/[^\n]/g, ' ') };
}

function attributesBefore(item: Node): Node[] {
  const attributes: Node[] = [];
  for (let previous = item.previousNamedSibling; previous; previous = previous.previousNamedSibling) {
    if (previous.type === 'attribute_item') attributes.push(previous);
    else if (previous.type !== 'line_comment' && previous.type !== 'block_comment') break;
  }
  return attributes;
}

/** Finds `#[test]` functions, strips test-only attributes and makes the tests callable from `main`. */
function rewriteTests(root: Node): { tests: RustTest[]; edits: Edit[]; hasMain: boolean } {
  const tests: RustTest[] = [];
  const edits: Edit[] = [];
  let hasMain = false;
  const visit = (container: Node, prefix: string) => {
    for (const item of namedChildren(container)) {
      const attributes = attributesBefore(item);
      const texts = attributes.map((attribute) => attribute.text.replace(/\s+/g, ''));
      if (item.type === 'mod_item') {
        const body = item.childForFieldName('body');
        const name = item.childForFieldName('name')?.text;
        if (!body || !name) continue;
        attributes.filter((a) => a.text.replace(/\s+/g, '') === '#[cfg(test)]').forEach((a) => edits.push(blank(a)));
        visit(body, `${prefix}${name}::`);
      } else if (item.type === 'function_item') {
        const name = item.childForFieldName('name');
        if (!name) continue;
        if (texts.includes('#[test]')) {
          tests.push({ path: `${prefix}${name.text}`, shouldPanic: texts.some((t) => t.startsWith('#[should_panic')) });
          attributes.filter((a) => /^#\[(test|should_panic|ignore)/.test(a.text.replace(/\s+/g, ''))).forEach((a) => edits.push(blank(a)));
          const visible = namedChildren(item).some((child) => child.type === 'visibility_modifier');
          if (!visible) edits.push({ start: item.startIndex, end: item.startIndex, text: 'pub(crate) ' });
        } else if (prefix === '' && name.text === 'main') {
          hasMain = true;
          edits.push({ start: name.startIndex, end: name.endIndex, text: 'rlaif_tests_main' });
        }
      }
    }
  };
  visit(root, '');
  return { tests, edits, hasMain };
}

/** Renames the candidate's own `fn main` so the harness can own the entry point. */
function renameCandidateMain(root: Node): Edit[] {
  for (const item of namedChildren(root)) {
    const name = item.type === 'function_item' ? item.childForFieldName('name') : null;
    if (name?.text === 'main') {
      return [
        { start: item.startIndex, end: item.startIndex, text: '#[allow(dead_code)] ' },
        { start: name.startIndex, end: name.endIndex, text: 'rlaif_candidate_main' },
      ];
    }
  }
  return [];
}

const OUTCOME = `trait RlaifOutcome { fn rlaif_ok(self) -> bool; }
impl RlaifOutcome for () { fn rlaif_ok(self) -> bool { true } }
impl<E: std::fmt::Debug> RlaifOutcome for Result<(), E> {
    fn rlaif_ok(self) -> bool { match self { Ok(()) => true, Err(e) => { eprintln!("test returned Err({:?})", e); false } } }
}`;

/** The match arms that run one test by name (a failed test exits with code 1). */
function dispatchArms(tests: readonly RustTest[], wholeBlock: boolean): string {
  return wholeBlock
    ? `"${WHOLE_BLOCK_TEST}" => rlaif_tests_main(),`
    : tests
        .map((test) =>
          test.shouldPanic
            ? `"${test.path}" => { if std::panic::catch_unwind(|| { let _ = ${test.path}(); }).is_ok() { eprintln!("test did not panic as expected"); std::process::exit(1); } }`
            : `"${test.path}" => { if !RlaifOutcome::rlaif_ok(${test.path}()) { std::process::exit(1); } }`,
        )
        .join('\n        ');
}

// After the test returned: flush, then read the nonce and print the verdict line with the test's time.
const VERDICT = `    let ns = start.elapsed().as_nanos();
    let _ = std::io::stdout().flush();
    let mut nonce = String::new();
    let _ = std::io::stdin().lock().read_line(&mut nonce);
    println!("\\n${VERDICT_TAG} {} {} {}", nonce.trim(), name, ns);
    let _ = std::io::stdout().flush();`;

function harness(tests: readonly RustTest[], wholeBlock: boolean): string {
  return `
#[allow(dead_code)]
${OUTCOME}
fn main() {
    use std::io::{BufRead, Write};
    let name = std::env::args().nth(1).unwrap_or_default();
    let start = std::time::Instant::now();
    match name.as_str() {
        ${dispatchArms(tests, wholeBlock)}
        _ => std::process::exit(3),
    }
${VERDICT}
}
`;
}

/** A group member's own entry point, appended to its module: runs test `name`, false if unknown. */
function memberDispatch(tests: readonly RustTest[], wholeBlock: boolean): string {
  return `
#[allow(dead_code)]
pub(crate) fn rlaif_dispatch(name: &str) -> bool {
    use crate::RlaifOutcome;
    match name {
        ${dispatchArms(tests, wholeBlock)}
        _ => return false,
    }
    true
}
`;
}

// Members' module names carry a per-process secret, so no candidate can name a sibling (`crate::m1::add`).
const MODULE_SECRET = randomBytes(6).toString('hex');
const moduleName = (member: number) => `m${member}_${MODULE_SECRET}`;

// Code that runs before main (.init_array, symbol overrides, raw assembly) would run in every member's
// test processes: a candidate using any of these is built alone. Conservative: a match anywhere counts.
const RUNS_BEFORE_MAIN = /link_section|no_mangle|export_name|global_asm|naked|#\s*!?\s*\[\s*used\b/;

/** The group's crate root: one public module per member, and a `main` taking the member and the test. */
function groupHarness(members: number): string {
  const arms = Array.from({ length: members }, (_, i) => `"${i}" => ${moduleName(i)}::rlaif_dispatch(&name),`).join('\n        ');
  return `${Array.from({ length: members }, (_, i) => `pub mod ${moduleName(i)};`).join('\n')}
#[allow(dead_code)]
${OUTCOME}
fn main() {
    use std::io::{BufRead, Write};
    let member = std::env::args().nth(1).unwrap_or_default();
    let name = std::env::args().nth(2).unwrap_or_default();
    let start = std::time::Instant::now();
    let known = match member.as_str() {
        ${arms}
        _ => false,
    };
    if !known { std::process::exit(3); }
${VERDICT}
}
`;
}

/** Warnings rustc located in `file` within its first `candidateLines` lines (the candidate's own code). */
function warningsIn(output: string, file: string, candidateLines: number): string[] {
  // rustc prints `warning: <msg>` then ` --> /build/<file>:<line>:<col>`.
  const warnings: string[] = [];
  const lines = output.split('\n');
  const at = new RegExp(`-->\\s*(?:/build/)?${file.replace('.', '\\.')}:(\\d+):\\d+`);
  lines.forEach((line, i) => {
    const message = /^warning: (.*)$/.exec(line)?.[1];
    const location = at.exec(lines[i + 1] ?? '');
    if (message && location && Number(location[1]) <= candidateLines) warnings.push(`line ${location[1]}: ${message}`);
  });
  return warnings;
}

/**
 * The group members a failed build's errors point into: rustc prints `error[…]: <msg>` then
 * ` --> /build/<module file>:<line>:<col>`, and reports the errors of every module in one run. An
 * error located in the crate root (the harness) blames the members its lines name. The blamed are
 * built alone, the others once more as a group; an error placed nowhere makes that second build fail
 * too, and then each is built alone.
 */
function rustMembersInErrors(output: string): number[] {
  const member = new RegExp(`\\bm(\\d+)_${MODULE_SECRET}\\b`, 'g');
  const blamed = new Set<number>();
  let inError = false;
  for (const line of output.split('\n')) {
    if (/^(?:error|warning)(?:\[\w+\])?: /.test(line)) inError = line.startsWith('error') && !/^error: aborting due to/.test(line);
    // Locations (`-->`, `:::`) and quoted source lines (`12 | …`), not help text: a suggestion may name a sibling.
    if (!inError || !/^\s*(?:-->|:::|\d+\s*\|)/.test(line)) continue;
    for (const match of line.matchAll(member)) blamed.add(Number(match[1]));
  }
  return [...blamed];
}

/** Candidate and tests rewritten for the harness: `fn main`s renamed, test attributes stripped. */
interface RustSources {
  readonly candidate: string;
  readonly tests: string;
  readonly found: readonly RustTest[];
  readonly wholeBlock: boolean;
}

async function rewrite(candidate: string, tests: string): Promise<RustSources> {
  const candidateSource = applyEdits(candidate, await withTree('rust', candidate, renameCandidateMain));
  const { tests: found, edits, hasMain } = await withTree('rust', tests, rewriteTests);
  const wholeBlock = found.length === 0;
  if (wholeBlock && !hasMain) throw new InvalidTestsError('Rust tests define neither #[test] functions nor fn main()');
  const unique = found.filter((test, i) => found.findIndex((other) => other.path === test.path) === i);
  return { candidate: candidateSource, tests: applyEdits(tests, edits), found: unique, wholeBlock };
}

const compileCommand = (toolchain: Toolchain) => [toolchain.executable, '--edition', '2021', '-O', '--color', 'never', '-o', `${BUILD_DIR}/program`, `${BUILD_DIR}/main.rs`];

export const rust: LanguageAdapter = {
  language: 'rust',
  async prepare(candidate, tests): Promise<CompiledProgram> {
    const sources = await rewrite(candidate, tests);
    const candidateLines = sources.candidate.split('\n').length;
    return {
      files: { 'main.rs': `${sources.candidate}\n${sources.tests}\n${harness(sources.found, sources.wholeBlock)}` },
      tests: sources.wholeBlock ? [WHOLE_BLOCK_TEST] : sources.found.map((test) => test.path),
      lintFindings: [],
      compileCommand,
      testArgv: () => [`${BUILD_DIR}/program`],
      candidateWarnings: (output) => warningsIn(output, 'main.rs', candidateLines),
    };
  },

  groupable: (candidate) => !RUNS_BEFORE_MAIN.test(candidate),

  // Each candidate becomes a `pub mod` (its own file: candidate, tests, dispatch) of one crate, so
  // rustc's start-up, the standard library's loading and the link are paid once for the group. As a
  // public module the candidate gets the same warnings as alone (checked in test/languages.test.ts).
  async prepareGroup(candidates, tests): Promise<ProgramGroup> {
    const members = await Promise.all(candidates.map((candidate) => rewrite(candidate, tests)));
    const files: Record<string, string> = { 'main.rs': groupHarness(members.length) };
    const programs = members.map((sources, i): CompiledProgram => {
      files[`${moduleName(i)}.rs`] = `${sources.candidate}\n${sources.tests}\n${memberDispatch(sources.found, sources.wholeBlock)}`;
      const candidateLines = sources.candidate.split('\n').length;
      return {
        files: {},
        tests: sources.wholeBlock ? [WHOLE_BLOCK_TEST] : sources.found.map((test) => test.path),
        lintFindings: [],
        compileCommand,
        testArgv: () => [`${BUILD_DIR}/program`, String(i)],
        candidateWarnings: (output) => warningsIn(output, `${moduleName(i)}.rs`, candidateLines),
      };
    });
    return { files, compileCommand, members: programs, failedMembers: rustMembersInErrors };
  },
};
