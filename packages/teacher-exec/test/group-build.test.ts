/** Rust candidates of one call are built as one crate; scores equal building each alone, and one bad candidate costs the others nothing. */
import { describe, expect, it } from 'vitest';
import { RUST, RUST_TESTS, task } from './samples.js';
import { comparableScore, compileCountingTeacher } from './helpers.js';

const countingTeacher = (seed: number) => compileCountingTeacher(seed, (argv) => argv[0]?.endsWith('rustc') === true);

// Warnings of several kinds (unused import, variable, function; naming), an inner attribute, and a candidate main.
const NOISY = `#![allow(unused_mut)]
use std::collections::HashMap;
/// Sum.
pub fn add(a: i64, b: i64) -> i64 { let mut s = a; let unused = 1; s + b }
fn helper_never_used() -> i32 { 2 }
struct lower_case;
fn main() { println!("{}", add(1, 2)); }
`;
const PANICS = 'pub fn add(a: i64, b: i64) -> i64 { if a < 0 { panic!("negative") } a + b }\n';
// Compiles alone, not as a module: `crate::` names the group's root there.
const CRATE_PATH = 'pub fn add(a: i64, b: i64) -> i64 { crate::plus(a, b) }\npub fn plus(a: i64, b: i64) -> i64 { a + b }\n';

// Runs before main (from .init_array) and exits: in a shared binary it would fail every sibling's tests.
const BEFORE_MAIN = `pub fn add(a: i64, b: i64) -> i64 { a + b }
#[used]
#[link_section = ".init_array"]
static SABOTAGE: extern "C" fn() = { extern "C" fn stop() { std::process::exit(1) } stop };
`;
// Would pass by calling a sibling's code if module names could be guessed.
const SIBLING = 'pub fn add(a: i64, b: i64) -> i64 { crate::m0::add(a, b) }\n';

const comparable = comparableScore;

describe('Rust group builds', () => {
  it('compiles the candidates of a call once, with the same scores and warnings as alone', async () => {
    const rustTask = task('rust', 'group', RUST_TESTS, RUST.correct);
    const codes = [RUST.correct, NOISY, RUST.wrong, PANICS];
    const grouped = countingTeacher(7);
    const together = await grouped.teacher.score(rustTask, codes.map((code) => ({ code })), null);
    expect(grouped.compiles).toHaveLength(1);

    const alone = countingTeacher(8);
    for (const [i, code] of codes.entries()) {
      const single = await alone.teacher.score(rustTask, [{ code }], null);
      expect(comparable(together.scores[i])).toEqual(comparable(single.scores[0]));
    }
    expect(alone.compiles).toHaveLength(codes.length);
    expect(together.scores[1]?.evidence).toMatch(/unused import.*HashMap/);
    expect(together.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 2, 0, 1]);
  }, 120_000);

  it('builds the candidates the errors point to alone and the rest as a group again', async () => {
    const { teacher, compiles } = countingTeacher(9);
    const codes = [RUST.correct, RUST.syntaxError, CRATE_PATH, RUST.wrong, ''];
    const result = await teacher.score(task('rust', 'fallback', RUST_TESTS, RUST.correct), codes.map((code) => ({ code })), { code: RUST.correct, source: 'task' });
    // The group of four fails; rustc reports both bad modules at once, so those two go alone and the
    // other two build as a group (the reference is the same code as the first).
    expect(compiles).toHaveLength(1 + 2 + 1);
    expect(result.scores.map((score) => score?.execution?.compiled)).toEqual([true, false, true, true, false]);
    expect(result.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 0, 2, 0, 0]);
    expect(result.referenceScore?.breakdown.correctness).toBe(1);
  }, 120_000);

  it('builds code that runs before main alone, so it cannot fail its siblings', async () => {
    const { teacher, compiles } = countingTeacher(10);
    const codes = [RUST.correct, BEFORE_MAIN, RUST.wrong];
    const result = await teacher.score(task('rust', 'before-main', RUST_TESTS, RUST.correct), codes.map((code) => ({ code })), null);
    expect(compiles).toHaveLength(2);
    expect(result.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 0, 0]);
  }, 120_000);

  it('no member can name a sibling: module names are not guessable', async () => {
    const { teacher } = countingTeacher(11);
    const result = await teacher.score(task('rust', 'sibling', RUST_TESTS, RUST.correct), [{ code: RUST.correct }, { code: SIBLING }], null);
    expect(result.scores.map((score) => score?.execution?.compiled)).toEqual([true, false]);
  }, 120_000);
});
