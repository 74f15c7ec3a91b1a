#!/usr/bin/env node
/**
 * Checks that every reference in train.jsonl and heldout.jsonl passes its own tests, by compiling
 * and running them directly (python3, g++ -std=c++17, rustc --edition 2021 --test), two at a time.
 * Compiler warnings count as failures: teacher-exec reports them against a candidate.
 * Run: node examples/quickstart/tasks/verify.mjs [file.jsonl ...]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PARALLEL = 2;
const TIMEOUT_MS = 60_000;

function run(command, args, cwd) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      resolve({ ok: !error, code: error ? (error.code ?? 'signal') : 0, stdout, stderr });
    });
  });
}

const testNames = (source, pattern) => [...source.matchAll(pattern)].map((match) => match[1]);

/** Builds and runs one task's reference against its tests in `dir`; resolves to an error text or null. */
async function check(task, dir) {
  const { language, reference, tests } = task;
  if (language === 'python') {
    const names = testNames(tests, /^def (test_\w+)\(\)/gm);
    const runner = names.map((name) => `${name}()`).join('\n');
    writeFileSync(join(dir, 'main.py'), `${reference}\n${tests}\n${runner}\nprint("ran ${names.length}")\n`);
    const result = await run('python3', ['-W', 'error', 'main.py'], dir);
    if (!result.ok || result.stdout.trim() !== `ran ${names.length}`) return result.stderr || result.stdout;
    return names.length >= 2 ? null : `only ${names.length} test(s)`;
  }
  if (language === 'cpp') {
    const names = testNames(tests, /^void (test_\w+)\(\)/gm);
    const main = `int main() {\n${names.map((name) => `  ${name}();`).join('\n')}\n  return 0;\n}\n`;
    writeFileSync(join(dir, 'main.cpp'), `${reference}\n${tests}\n${main}`);
    const build = await run('g++', ['-std=c++17', '-O0', '-Wall', '-Wextra', '-o', 'main', 'main.cpp'], dir);
    if (!build.ok || build.stderr.trim() !== '') return `g++: ${build.stderr}`;
    const result = await run(join(dir, 'main'), [], dir);
    if (!result.ok) return `exit ${result.code}: ${result.stderr}`;
    return names.length >= 2 ? null : `only ${names.length} test(s)`;
  }
  if (language === 'rust') {
    writeFileSync(join(dir, 'main.rs'), `${reference}\n${tests}`);
    const build = await run('rustc', ['--edition', '2021', '--test', '-o', 'main', 'main.rs'], dir);
    if (!build.ok || build.stderr.trim() !== '') return `rustc: ${build.stderr}`;
    const result = await run(join(dir, 'main'), [], dir);
    const passed = /test result: ok\. (\d+) passed; 0 failed/.exec(result.stdout);
    if (!result.ok || !passed) return `exit ${result.code}: ${result.stdout}${result.stderr}`;
    return Number(passed[1]) >= 2 ? null : `only ${passed[1]} test(s)`;
  }
  return `unknown language ${language}`;
}

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const files = process.argv.length > 2 ? process.argv.slice(2) : [join(here, 'train.jsonl'), join(here, 'heldout.jsonl')];
  const tasks = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line)));
  const started = Date.now();
  const failures = [];
  const counts = {};
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      const dir = mkdtempSync(join(tmpdir(), 'rlaif-qs-verify-'));
      try {
        const error = await check(task, dir);
        counts[task.language] ??= { passed: 0, failed: 0 };
        counts[task.language][error === null ? 'passed' : 'failed'] += 1;
        if (error !== null) failures.push({ id: task.id, error: error.slice(0, 600) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  for (const failure of failures) console.log(`FAIL ${failure.id}\n${failure.error}`);
  const passed = tasks.length - failures.length;
  console.log(`${passed}/${tasks.length} references pass their tests in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
