import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('carries the current config reference', () => {
    const table = execFileSync(process.execPath, [path.join(root, 'scripts/config-reference.mjs')], { encoding: 'utf8' }).trim();
    expect(readme).toContain(table);
  });

  it('names the test command that .ci/run runs', () => {
    expect(readme).toContain('bash scripts/test.sh');
    expect(readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/^bash scripts\/test\.sh$/m);
  });

  // The first command (scripts/quickstart.sh) runs `npx rlaif`: setup must have linked the bin, which
  // npm ci skips on a fresh clone because dist/ is built after it.
  it('has the rlaif bin linked where npx finds it', () => {
    const bin = path.join(root, 'node_modules/.bin/rlaif');
    expect(existsSync(bin), `${bin} is missing: scripts/setup.sh must link it after the build`).toBe(true);
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toMatch(/Usage: rlaif <command>/);
  });
});
