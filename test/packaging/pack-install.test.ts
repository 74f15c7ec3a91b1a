/**
 * A new user outside the monorepo: `npm i @rlaif/core @rlaif/backend-mlx` (the packed tarballs; the
 * `@rlaif` packages they depend on come from their tarballs too, through npm overrides), then
 * `rlaif --help`, `rlaif init` and a dry run of what it wrote, and a real run with no config file
 * at all — default backend, exec teacher and sinks — that writes TensorBoard events and JSONL
 * summaries, then a bare `--resume`. Needs the build, the npm registry (or cache), bubblewrap and python3, g++, rustc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the user installs. */
const INSTALLED = ['packages/core', 'packages/backend-mlx'];
/** What those depend on, published beside them. */
const DEPENDENCIES = ['packages/hf', 'packages/teacher-exec', 'packages/sink-jsonl', 'packages/sink-tensorboard'];
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' };

/** npm pack's file name for a workspace package: `@rlaif/core` 0.1.0 → rlaif-core-0.1.0.tgz. */
function tarballName(pkg: string): string {
  const { name, version } = JSON.parse(readFileSync(path.join(root, pkg, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

describe('packed packages install and run outside the monorepo', () => {
  it('npm i @rlaif/core @rlaif/backend-mlx, then rlaif init, a dry run, a default run and a bare --resume', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'rlaif-pack-'));
    const tarballs = path.join(work, 'tarballs');
    await mkdir(tarballs, { recursive: true });
    const packages = [...INSTALLED, ...DEPENDENCIES];
    execFileSync('npm', ['pack', ...packages.flatMap((p) => ['-w', p]), '--pack-destination', tarballs, '--silent'], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, npm_config_ignore_scripts: 'true' },
    });
    const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz'));
    expect(files.sort()).toEqual(packages.map(tarballName).sort());
    for (const file of files) {
      const listing = execFileSync('tar', ['-tzf', path.join(tarballs, file)], { encoding: 'utf8' });
      expect(listing, file).toMatch(/package\/dist\/index\.js/);
      expect(listing, file).toMatch(/package\/dist\/index\.d\.ts/);
      expect(listing, `${file} ships no sources or tests`).not.toMatch(/package\/src\//);
    }

    const project = path.join(work, 'user-project');
    await mkdir(project);
    // The registry would serve the dependencies; here their tarballs stand in for it.
    const overrides = Object.fromEntries(DEPENDENCIES.map((pkg) => [`@rlaif/${path.basename(pkg)}`, `file:${path.join(tarballs, tarballName(pkg))}`]));
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module', overrides }));
    // node-mlx's install script downloads a binary; its tarball already carries the Linux one.
    await writeFile(path.join(project, '.npmrc'), 'ignore-scripts=true\n');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...INSTALLED.map((pkg) => path.join(tarballs, tarballName(pkg)))], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@rlaif/backend-mlx', '@rlaif/core']);

    const rlaif = (cwd: string, ...args: string[]) => spawnSync('npx', ['rlaif', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...NO_KEYS } });
    const help = rlaif(project, '--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: rlaif <command>/);

    // rlaif init, then the dry run it suggests: default sinks and the exec teacher need no other install.
    const init = rlaif(project, 'init', 'first');
    expect(init.status, init.stderr).toBe(0);
    const dry = rlaif(path.join(project, 'first'), 'run', '--dry-run');
    expect(dry.status, `${dry.stdout}\n${dry.stderr}`).toBe(0);
    expect(dry.stdout).toMatch(/Backend:\s+mlx/);
    expect(dry.stdout).toMatch(/Teacher:\s+exec/);
    expect(dry.stdout).toMatch(/Sinks:\s+tensorboard, jsonl/);

    // A real run with no config file: every setting at its default, the committed tiny Qwen2 as the student.
    const model = path.join(root, 'packages/backend-mlx/fixtures/tiny-qwen2');
    const trainFile = path.join(project, 'first/data/train.jsonl');
    const run = rlaif(project, 'run', '--model', model, '--train-file', trainFile);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const logs = path.join(project, 'runs/rlaif/logs');
    expect((await readdir(path.join(logs, 'tensorboard'))).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
    const batches = (await readFile(path.join(logs, 'json_summaries/batches.jsonl'), 'utf8')).trim().split('\n');
    expect(batches.length).toBeGreaterThan(0);
    expect((JSON.parse(batches[0]!) as { metrics: Record<string, number> }).metrics).toHaveProperty(['Train/AvgReward']);
    expect((await readFile(path.join(logs, 'json_summaries/epochs.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);

    const resumed = rlaif(project, 'run', '--model', model, '--train-file', trainFile, '--resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming from checkpoint-final-gs\d+/);
    await rm(work, { recursive: true, force: true });
  }, 300_000);
});
