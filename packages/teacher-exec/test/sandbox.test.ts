/** The sandbox on its own: self-test, limits with and without cgroups, and clear set-up errors. */
import { describe, expect, it } from 'vitest';
import { SandboxError } from '@rlaif/core';
import { createSandbox } from '../src/index.js';
import type { SandboxLimits } from '../src/index.js';
import { Toolchains } from '../src/toolchains.js';
import { uidBaseFor } from './helpers.js';

const uid = uidBaseFor(3);
const limits: SandboxLimits = {
  wallMs: 3000, cpuSeconds: 1, memoryBytes: 128 * 2 ** 20, maxProcesses: 16,
  fileSizeBytes: 2 ** 20, tmpfsBytes: 4 * 2 ** 20, outputBytes: 4096,
};
const sh = (script: string) => ({ argv: ['/bin/sh', '-c', script], mounts: [], cwd: '/tmp', env: { PATH: '/usr/bin:/bin' }, limits, uid });

describe('self-test', () => {
  it('reports the isolation in force', async () => {
    const sandbox = await createSandbox({ probeUid: uid });
    expect(sandbox.isolation.namespaces).toEqual(expect.arrayContaining(['pid', 'net', 'ipc', 'uts']));
    expect(sandbox.isolation.uid).toBe(uid);
    expect(['cgroup', 'rlimit-as']).toContain(sandbox.isolation.memoryLimit);
  });

  it('fails with an install hint when bubblewrap is missing', async () => {
    const error = await createSandbox({ bwrapPath: '/nonexistent/bwrap' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).hint).toMatch(/apt-get install bubblewrap/);
  });

  it('names the package of a missing toolchain', async () => {
    const toolchains = new Toolchains({ rustc: '/nonexistent/rustc', cxx: '/nonexistent/g++', python: '/nonexistent/python3' });
    await expect(toolchains.get('rust')).rejects.toThrow(/rustup|apt-get install rustc/);
    await expect(toolchains.get('cpp')).rejects.toThrow(/apt-get install g\+\+/);
    await expect(toolchains.get('python')).rejects.toThrow(/apt-get install python3/);
  });
});

describe.each([false, true])('limits (cgroups disabled: %s)', (disableCgroups) => {
  it('runs unprivileged with a clean environment and a size-limited /tmp', async () => {
    const sandbox = await createSandbox({ probeUid: uid, disableCgroups });
    const result = await sandbox.run(sh('id -u; env | sort | tr "\\n" " "; echo; head -c 8000000 /dev/zero > /tmp/big; echo rc=$?'));
    const [id, env, rc] = result.stdout.trim().split('\n');
    expect(Number(id)).toBe(uid);
    expect(env?.trim().split(' ').map((kv) => kv.split('=')[0]).sort()).toEqual(['PATH', 'PWD']);
    // RLIMIT_FSIZE (1 MiB) or the 4 MiB tmpfs stops the 8 MB write.
    expect(rc).not.toBe('rc=0');
  });

  it('caps memory', async () => {
    const sandbox = await createSandbox({ probeUid: uid, disableCgroups });
    const small = await sandbox.run(sh('python3 -c "b = bytearray(16 * 2**20); print(len(b))"'));
    expect(small.stdout.trim()).toBe(String(16 * 2 ** 20));
    const bomb = await sandbox.run(sh('python3 -c "b = bytearray(600 * 2**20); print(len(b))"'));
    expect(bomb.exitCode).not.toBe(0);
    expect(bomb.stdout).not.toContain(String(600 * 2 ** 20));
  });

  it('caps processes and CPU time', async () => {
    const sandbox = await createSandbox({ probeUid: uid, disableCgroups });
    const forks = await sandbox.run(sh('n=0; while [ $n -lt 40 ]; do sleep 2 & n=$((n+1)); done 2>/dev/null; ps -e --no-headers | wc -l'));
    expect(Number(forks.stdout.trim())).toBeLessThanOrEqual(limits.maxProcesses + 1);
    const spin = await sandbox.run(sh('while :; do :; done'));
    expect(spin.timedOut).toBe(true);
    expect(spin.wallMs).toBeLessThan(limits.wallMs + 1500);
  });
});
