import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HelperSpawner, InProcessSpawner } from '../src/sandbox/spawner.js';
import type { Spawner, SpawnRequest } from '../src/sandbox/spawner.js';

const request = (script: string, overrides: Partial<SpawnRequest> = {}): SpawnRequest => ({
  command: '/bin/sh',
  argv: ['-c', script],
  stdin: '',
  wallMs: 10_000,
  outputBytes: 1 << 20,
  ...overrides,
});

describe.each([
  ['helper process', () => new HelperSpawner()],
  ['in process', () => new InProcessSpawner()],
] as const)('spawning %s', (_name, make: () => Spawner) => {
  it('passes stdin and returns stdout, stderr and the exit code', async () => {
    const outcome = await make().run(request('read line; echo "got $line"; echo oops >&2; exit 3', { stdin: 'nonce\n' }));
    expect(outcome).toMatchObject({ exitCode: 3, stdout: 'got nonce\n', stderr: 'oops\n', wallTimeout: false, outputOverflow: false });
  });

  it('kills at the wall-clock limit', async () => {
    const outcome = await make().run(request('exec sleep 5', { wallMs: 200 }));
    expect(outcome.wallTimeout).toBe(true);
    expect(outcome.exitCode).toBe(128 + 9);
    expect(outcome.wallMs).toBeLessThan(3_000);
  });

  it('cuts the output at the cap and kills the writer', async () => {
    const outcome = await make().run(request('exec yes', { outputBytes: 1000 }));
    expect(outcome.outputOverflow).toBe(true);
    expect(outcome.stdout).toHaveLength(1000);
  });

  it('kills when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const outcome = await make().run(request('exec sleep 5'), controller.signal);
    expect(outcome.exitCode).toBe(128 + 9);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('runs many processes at once, each answered by its own result', async () => {
    const spawner = make();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => spawner.run(request(`echo ${i}; exit ${i}`))));
    outcomes.forEach((outcome, i) => expect(outcome).toMatchObject({ exitCode: i, stdout: `${i}\n` }));
  });

  it('leaves no listener on the caller\'s signal once a run is over', async () => {
    const spawner = make();
    const signal = new AbortController().signal;
    for (let i = 0; i < 12; i++) await spawner.run(request(`exit ${i % 2}`), signal);
    await Promise.all(Array.from({ length: 4 }, () => spawner.run(request('exit 0'), signal)));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('rejects when the command cannot be started', async () => {
    await expect(make().run({ ...request(''), command: '/nonexistent/binary' })).rejects.toThrow(/ENOENT/);
  });
});
