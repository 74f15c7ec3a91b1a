/**
 * `rlaif run` with the real exec teacher on a machine without rustc (a PATH and HOME that hold none):
 * the run stops before training, naming Rust, `rustc` and how to install it, unless
 * data.skipLanguagesWithoutToolchain skips the Rust tasks; `--dry-run` lists the toolchains found.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const which = (command: string) => spawnSync('/bin/sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
// The interpreter itself, not a version manager's shim (pyenv's runs `bash`, which the bare PATH lacks).
const python = () => spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

const TASKS = [
  { id: 'py', language: 'python', prompt: 'Write add(a, b).', tests: 'def test_add():\n    assert add(1, 2) == 3\n', reference: 'def add(a, b):\n    return a + b\n' },
  { id: 'cc', language: 'cpp', prompt: 'Write add(a, b).', tests: 'void test_add() { assert(add(1, 2) == 3); }\n', reference: 'int add(int a, int b) { return a + b; }\n' },
  { id: 'rs', language: 'rust', prompt: 'Write add(a, b).', tests: '#[test]\nfn adds() { assert_eq!(add(1, 2), 3); }\n', reference: 'fn add(a: i32, b: i32) -> i32 { a + b }\n' },
];

let work: string;
let pathWithoutRustc: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'rlaif-toolchains-'));
  // A PATH with python3 and g++ but no rustc, and a HOME without ~/.cargo/bin.
  const binDir = path.join(work, 'bin');
  mkdirSync(binDir);
  mkdirSync(path.join(work, 'home'));
  symlinkSync(python(), path.join(binDir, 'python3'));
  symlinkSync(which('g++'), path.join(binDir, 'g++'));
  pathWithoutRustc = binDir;
  writeFileSync(path.join(work, 'tasks.jsonl'), `${TASKS.map((task) => JSON.stringify(task)).join('\n')}\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function dryRun(config: Record<string, unknown>, env: Record<string, string>) {
  writeFileSync(
    path.join(work, '.rlaifrc.json'),
    JSON.stringify({ backend: path.join(root, 'test/e2e/fixtures/fake-backend.mjs'), teacher: '@rlaif/teacher-exec', data: { trainFile: './tasks.jsonl', evalSplit: 0 }, sinks: [], ...config }),
  );
  return spawnSync(process.execPath, [bin, 'run', '--dry-run'], { cwd: work, encoding: 'utf8', env: { ...env, RLAIF_ALLOCATOR_TUNING: 'off', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });
}

describe('toolchain preflight', () => {
  it('stops before training when rustc is missing, naming the language, the command and the install', () => {
    const result = dryRun({}, { PATH: pathWithoutRustc, HOME: path.join(work, 'home') });
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toMatch(/data: 1 train and 0 eval tasks in rust: the exec teacher cannot run `rustc`/);
    expect(result.stderr).toMatch(/apt-get install rustc/);
    expect(result.stderr).toMatch(/data\.skipLanguagesWithoutToolchain: true/);
    expect(result.stdout).not.toMatch(/Dry run/);
  });

  it('skips the Rust tasks when the config says so, and says how many', () => {
    const result = dryRun({ data: { trainFile: './tasks.jsonl', evalSplit: 0, skipLanguagesWithoutToolchain: true } }, { PATH: pathWithoutRustc, HOME: path.join(work, 'home') });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/skipped 1 train and 0 eval tasks in rust/);
    expect(result.stdout).toMatch(/Data:\s+2 train tasks/);
    expect(result.stdout).toMatch(/Toolchains:\s+python: python 3\.\S+, cpp: g\+\+ .*, rust: rustc missing \(tasks skipped\)/);
  });

  it('lists the toolchains found with their versions', () => {
    const result = dryRun({}, { PATH: process.env.PATH ?? '', HOME: os.homedir() });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Toolchains:\s+python: python 3\.\S+, cpp: g\+\+ .*, rust: rustc 1\.\d+\.\d+/);
  });
});
