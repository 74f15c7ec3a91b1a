/**
 * The bench's baseline: a "sandbox" that runs each command directly on the host, with no bubblewrap,
 * namespaces, cgroup, rlimits or uid switch. Paths the real sandbox would mount (`/build`) are
 * rewritten to their host directories. Never use it to score untrusted code: it isolates nothing.
 */
import { HelperSpawner, InProcessSpawner } from '../src/sandbox/spawner.js';
import type { Sandbox, SandboxRunResult, SandboxRunSpec } from '../src/sandbox/bwrap.js';

/** Rewrites an argument that is a sandbox path (or lies under one) to the host path of its mount. */
function toHost(arg: string, spec: SandboxRunSpec): string {
  for (const mount of spec.mounts) {
    if (arg === mount.sandbox || arg.startsWith(`${mount.sandbox}/`)) return `${mount.host}${arg.slice(mount.sandbox.length)}`;
  }
  return arg;
}

/** Opens the unsandboxed baseline; same process spawner as the real sandbox so only isolation differs. */
export function openBareSandbox(options: { spawnHelper?: boolean } = {}): Promise<Sandbox> {
  const spawner = options.spawnHelper === false ? new InProcessSpawner() : new HelperSpawner();
  const sandbox: Sandbox = {
    isolation: { bwrap: 'none (bare baseline)', uid: 0, namespaces: [], cgroup: 'none', memoryLimit: 'rlimit-as', notes: ['unsandboxed bench baseline'] },
    async run(spec: SandboxRunSpec): Promise<SandboxRunResult> {
      const argv = spec.argv.map((arg) => toHost(arg, spec));
      // Run from the build directory's host path when asked for it, else from the host's /tmp.
      const cwd = toHost(spec.cwd, spec);
      // env(1) clears the environment, sets the run's variables and directory, then execs the command.
      const variables = Object.entries(spec.env).map(([key, value]) => `${key}=${value}`);
      const outcome = await spawner.run({ command: '/usr/bin/env', argv: ['-i', '-C', cwd, ...variables, ...argv], stdin: spec.stdin ?? '', wallMs: spec.limits.wallMs, outputBytes: spec.limits.outputBytes }, spec.signal);
      return { ...outcome, timedOut: outcome.wallTimeout, oomKilled: false };
    },
  };
  return Promise.resolve(sandbox);
}
