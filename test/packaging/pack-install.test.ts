/**
 * Installs the packed tarballs (core, the MLX backend with its HF plumbing, the exec teacher) into an
 * empty project outside the monorepo, as a user running `npm i @rlaif/core @rlaif/backend-mlx` would,
 * then runs `npx rlaif --help` and a dry run there. Needs the build and the npm registry (or cache).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['packages/core', 'packages/hf', 'packages/backend-mlx', 'packages/teacher-exec'];

describe('packed packages install and run outside the monorepo', () => {
  it('npm i the tarballs, then rlaif --help and rlaif run --dry-run', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'rlaif-pack-'));
    const tarballs = path.join(work, 'tarballs');
    await mkdir(tarballs, { recursive: true });
    execFileSync('npm', ['pack', ...PACKAGES.flatMap((p) => ['-w', p]), '--pack-destination', tarballs, '--silent'], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, npm_config_ignore_scripts: 'true' },
    });
    const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz'));
    expect(files).toHaveLength(PACKAGES.length);
    for (const file of files) {
      const listing = execFileSync('tar', ['-tzf', path.join(tarballs, file)], { encoding: 'utf8' });
      expect(listing, file).toMatch(/package\/dist\/index\.js/);
      expect(listing, file).toMatch(/package\/dist\/index\.d\.ts/);
      expect(listing, `${file} ships no sources or tests`).not.toMatch(/package\/src\//);
    }

    const project = path.join(work, 'user-project');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    // node-mlx's install script downloads a binary; its tarball already carries the Linux one.
    await writeFile(path.join(project, '.npmrc'), 'ignore-scripts=true\n');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...files.map((f) => path.join(tarballs, f))], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);

    const help = spawnSync('npx', ['rlaif', '--help'], { cwd: project, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: rlaif <command>/);

    await writeFile(
      path.join(project, 'tasks.jsonl'),
      '{"id":"add","language":"python","prompt":"Write add(a, b).","reference":"def add(a, b):\\n    return a + b\\n","tests":"assert add(1, 2) == 3\\n"}\n',
    );
    await writeFile(
      path.join(project, '.rlaifrc.json'),
      JSON.stringify({
        model: { name: 'Qwen/Qwen2.5-Coder-0.5B-Instruct' },
        backend: '@rlaif/backend-mlx',
        teacher: '@rlaif/teacher-exec',
        data: { trainFile: './tasks.jsonl', evalSplit: 0 },
        sinks: [],
      }),
    );
    const dry = spawnSync('npx', ['rlaif', 'run', '--dry-run'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });
    expect(dry.status, `${dry.stdout}\n${dry.stderr}`).toBe(0);
    expect(dry.stdout).toMatch(/Backend:\s+mlx/);
    expect(dry.stdout).toMatch(/Teacher:\s+exec/);
  }, 300_000);
});
