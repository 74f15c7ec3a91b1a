import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exec } from '../src/index.js';
import { Toolchains } from '../src/toolchains.js';
import { CPP, CPP_TESTS, task } from './samples.js';

describe('exec teacher toolchains()', () => {
  it('reports the version of each toolchain found, and what is missing with how to install it', async () => {
    const teacher = exec({ toolchains: { rustc: '/nonexistent/bin/rustc' } });
    const [python, rust] = await teacher.toolchains(['python', 'rust']);
    expect(python).toMatchObject({ language: 'python', command: 'python3', available: true, version: expect.stringMatching(/^python 3\./) });
    expect(rust).toMatchObject({ language: 'rust', command: '/nonexistent/bin/rustc', available: false, problem: expect.stringMatching(/no rust toolchain found/), hint: expect.stringMatching(/apt-get install rustc/) });
  });
});

describe('C++ toolchain', () => {
  it('links with a faster linker when one is installed, and compiled programs still run', async () => {
    const toolchain = await new Toolchains().get('cpp');
    const installed = ['mold', 'gold'].find((linker) => existsSync(`/usr/bin/ld.${linker}`));
    expect(toolchain.linkFlags).toEqual(installed ? [`-fuse-ld=${installed}`] : []);
    const result = await exec({ concurrency: 1 }).score(task('cpp', 'linker', CPP_TESTS, CPP.correct), [{ code: CPP.correct }], null);
    expect(result.scores[0]?.execution?.testsPassed).toBe(2);
  }, 60_000);
});
