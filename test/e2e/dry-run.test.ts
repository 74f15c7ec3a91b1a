import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });

describe('rlaif CLI', () => {
  it('prints help and the version', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: rlaif <command>/);
    expect(help.stdout).toMatch(/run\s+Train the student/);
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('dry-runs a config: validates, resolves plugins and prints the plan without training', () => {
    const result = run('run', 'test/e2e/fixtures/rlaif.config.mjs', '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Dry run: nothing was loaded or spent/);
    expect(result.stdout).toMatch(/Backend:\s+fake-backend/);
    expect(result.stdout).toMatch(/Teacher:\s+fake-teacher/);
    expect(result.stdout).toMatch(/2 epochs × 6 batches → 12 optimizer updates; cosine learning rate/);
    expect(result.stdout).toMatch(/Teacher calls: 26 scoring calls/);
  });

  it('exits 2 on an unknown flag and 3 on a bad config key', () => {
    expect(run('run', '--no-such-flag').status).toBe(2);
    const bad = run('run', 'test/e2e/fixtures/rlaif.config.mjs', '--dry-run', '--seed', 'abc');
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/seed/);
  });
});
