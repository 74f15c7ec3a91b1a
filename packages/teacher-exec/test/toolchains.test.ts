import { describe, expect, it } from 'vitest';
import { exec } from '../src/index.js';

describe('exec teacher toolchains()', () => {
  it('reports the version of each toolchain found, and what is missing with how to install it', async () => {
    const teacher = exec({ toolchains: { rustc: '/nonexistent/bin/rustc' } });
    const [python, rust] = await teacher.toolchains(['python', 'rust']);
    expect(python).toMatchObject({ language: 'python', command: 'python3', available: true, version: expect.stringMatching(/^python 3\./) });
    expect(rust).toMatchObject({ language: 'rust', command: '/nonexistent/bin/rustc', available: false, problem: expect.stringMatching(/no rust toolchain found/), hint: expect.stringMatching(/apt-get install rustc/) });
  });
});
