/**
 * A new user's first commands, through the built `rlaif` bin: `rlaif init` (never overwriting), a dry
 * run of what it wrote, its tasks' references passing the exec teacher in all three languages,
 * `rlaif run --model --train-file` without a config, and a bare `--resume`.
 * Needs the build (`npm run build`) and, for the exec teacher, bubblewrap, python3, g++ and rustc.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Task } from '@rlaif/core';
import { exec } from '@rlaif/teacher-exec';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '', RLAIF_ALLOCATOR_TUNING: 'off' };
const rlaif = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...NO_KEYS, ...env } });

const work = mkdtempSync(path.join(os.tmpdir(), 'rlaif-new-user-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a new user', () => {
  const project = path.join(work, 'my-project');

  it('rlaif init writes a config and data, and prints the next commands', () => {
    const init = rlaif(work, ['init', 'my-project']);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/wrote rlaif\.config\.ts/);
    expect(init.stdout).toMatch(/wrote data\/train\.jsonl/);
    expect(init.stdout).toMatch(/teacher: @rlaif\/teacher-exec/);
    expect(init.stdout).toMatch(/cd my-project\n\s+npx rlaif run --dry-run/);
    expect(readFileSync(path.join(project, 'rlaif.config.ts'), 'utf8')).toMatch(/teacher: '@rlaif\/teacher-exec'/);
  });

  it("the README's Usage shows the config rlaif init writes", () => {
    const written = readFileSync(path.join(project, 'rlaif.config.ts'), 'utf8').split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('## Usage'), readme.indexOf('### Data format'));
    expect(usage).toContain(`\`\`\`ts\n${written.trim()}\n\`\`\``);
  });

  it('rlaif init never overwrites a file', () => {
    writeFileSync(path.join(project, 'rlaif.config.ts'), '// mine\nexport default {};\n');
    const again = rlaif(project, ['init']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/kept\s+rlaif\.config\.ts/);
    expect(again.stdout).toMatch(/kept\s+data\/train\.jsonl/);
    expect(readFileSync(path.join(project, 'rlaif.config.ts'), 'utf8')).toBe('// mine\nexport default {};\n');
    // Another config file rlaif would find counts too: no second config beside it.
    const other = path.join(work, 'json-project');
    mkdirSync(other);
    writeFileSync(path.join(other, '.rlaifrc.json'), '{}');
    const withJson = rlaif(work, ['init', 'json-project']);
    expect(withJson.status, withJson.stderr).toBe(0);
    expect(withJson.stdout).toMatch(/kept\s+\.rlaifrc\.json \(exists; rlaif\.config\.ts not written\)/);
    expect(existsSync(path.join(other, 'rlaif.config.ts'))).toBe(false);
  });

  it('rlaif init picks the teacher from the API keys present', () => {
    const init = rlaif(work, ['init', 'claude-project'], { ANTHROPIC_API_KEY: 'sk-test' });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/npm i @rlaif\/teacher-anthropic/);
    expect(readFileSync(path.join(work, 'claude-project', 'rlaif.config.ts'), 'utf8')).toMatch(/teacher: \{ use: '@rlaif\/teacher-anthropic', model: '[\w.-]+' \}/);
  });

  it('the config it writes passes a dry run, toolchains included', () => {
    rmSync(path.join(project, 'rlaif.config.ts'), { force: true });
    expect(rlaif(project, ['init']).status).toBe(0);
    // As after `npm i @rlaif/core @rlaif/backend-mlx`: the config imports defineConfig from @rlaif/core
    // (test/packaging installs the packed packages for real).
    symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
    const dry = rlaif(project, ['run', '--dry-run']);
    expect(dry.status, `${dry.stdout}\n${dry.stderr}`).toBe(0);
    expect(dry.stdout).toMatch(/Config:\s+.*my-project\/rlaif\.config\.ts/);
    expect(dry.stdout).toMatch(/Backend:\s+mlx/);
    expect(dry.stdout).toMatch(/Teacher:\s+exec/);
    expect(dry.stdout).toMatch(/Sinks:\s+tensorboard, jsonl/);
    expect(dry.stdout).toMatch(/Toolchains:\s+python: python 3.*, cpp: g\+\+.*, rust: rustc 1\./);
    expect(dry.stdout).toMatch(/Data:\s+8 train tasks, 1 eval tasks/);
  });

  it("the data it writes has references that pass the exec teacher's tests in all three languages", async () => {
    const tasks = readFileSync(path.join(project, 'data/train.jsonl'), 'utf8').trim().split('\n').map((line) => ({ extra: {}, ...JSON.parse(line) }) as Task & { reference: string });
    expect(new Set(tasks.map((task) => task.language))).toEqual(new Set(['python', 'cpp', 'rust']));
    const teacher = exec({ concurrency: 2 });
    for (const task of tasks) {
      const { scores } = await teacher.score(task, [{ code: task.reference }], { code: task.reference, source: 'task' });
      const execution = scores[0]?.execution;
      expect(execution, task.id).toBeDefined();
      expect(execution!.testsTotal, task.id).toBeGreaterThanOrEqual(2);
      expect(execution!.testsPassed, `${task.id}: ${scores[0]?.evidence}`).toBe(execution!.testsTotal);
    }
  }, 120_000);

  it('rlaif run --model --train-file runs with the defaults when there is no config file', () => {
    const empty = mkdtempSync(path.join(work, 'no-config-'));
    const model = path.join(root, 'packages/backend-mlx/fixtures/tiny-qwen2');
    const dry = rlaif(empty, ['run', '--model', model, '--train-file', path.join(project, 'data/train.jsonl'), '--dry-run']);
    expect(dry.status, `${dry.stdout}\n${dry.stderr}`).toBe(0);
    expect(dry.stdout).toMatch(/Config:\s+\(defaults\)/);
    expect(dry.stdout).toMatch(/Teacher:\s+exec/);
    expect(dry.stdout).toMatch(/Sinks:\s+tensorboard, jsonl/);
    expect(dry.stdout).toContain(`Output:        ${path.join(empty, 'runs/rlaif')}`);
    // Without those two flags it still asks for a config.
    const missing = rlaif(empty, ['run', '--dry-run']);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/no config file found/);
  });

  it('a bare --resume continues from the latest checkpoint', () => {
    const config = path.join(root, 'test/e2e/fixtures/rlaif.config.mjs');
    const out = path.join(work, 'fake-run');
    const first = rlaif(root, ['run', config, '--output-dir', out]);
    expect(first.status, first.stderr).toBe(0);
    for (const args of [['run', config, '--output-dir', out, '--resume'], ['run', '--resume', config, '--output-dir', out]]) {
      const resumed = rlaif(root, args);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/Resuming from checkpoint-final-gs\d+/);
    }
  }, 120_000);
});
