import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../src/index.js';

const sinkSource = fileURLToPath(new URL('../src/index.ts', import.meta.url));
// The sink needs only core's error classes at run time; aliasing just those keeps the child quick to start.
const coreSource = fileURLToPath(new URL('../../core/src/errors/index.ts', import.meta.url));

/** Runs a child Node process that writes events and then ends by `ending` without ever flushing. */
function runChild(runDir: string, ending: string) {
  const script = `
    import { createJiti } from 'jiti';
    const jiti = createJiti(import.meta.url, { alias: { '@rlaif/core': ${JSON.stringify(coreSource)} } });
    const { tensorboard } = await jiti.import(${JSON.stringify(sinkSource)});
    const warn = (m) => process.stderr.write(m + '\\n');
    const sink = tensorboard({ flushIntervalMs: 0 });
    await sink.setup({ runDir: ${JSON.stringify(runDir)}, cacheDir: '', seed: 1, signal: new AbortController().signal,
      logger: { warn, error: warn, info() {}, debug() {} } });
    sink.write(1, { 'Train/Loss': 0.5 });
    sink.writeText(1, 'Samples/Latest', 'print(1)');
    ${ending}
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' });
}

async function eventsIn(runDir: string) {
  const dir = join(runDir, 'logs/tensorboard');
  const [name] = await readdir(dir);
  return readEvents(join(dir, name!));
}

describe('tensorboard sink exit hooks', () => {
  it.each([
    ['process.exit()', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('simulated crash');", 1],
    ['the event loop running dry', '', 0],
  ])('writes unflushed events when the process ends by %s', async (_name, ending, expectedStatus) => {
    const runDir = await mkdtemp(join(tmpdir(), 'rlaif-tb-exit-'));
    const child = runChild(runDir, ending);
    expect(child.status, child.stderr).toBe(expectedStatus);
    const values = (await eventsIn(runDir)).flatMap((event) => event.values);
    expect(values).toEqual([
      { tag: 'Train/Loss', kind: 'scalar', value: 0.5 },
      { tag: 'Samples/Latest', kind: 'text', text: 'print(1)' },
    ]);
  });
});
