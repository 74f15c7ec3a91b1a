import { describe, expect, it } from 'vitest';
import { BackendError } from '../errors/index.js';
import { captureIO } from '../testing/capture-io.js';
import type { CliCommand } from './command.js';
import { main } from './main.js';

// A command whose engine fails, as a backend's would: a BackendError wrapping the engine's Error.
const failing: CliCommand = {
  name: 'fail',
  summary: 'fails',
  help: 'Usage: rlaif fail [--log-level <level>]',
  run() {
    const engine = new Error('Expected shape 384,128 but received shape 384,64\nsecond line');
    return Promise.reject(new BackendError('the weights do not fit', { cause: engine }));
  },
};

async function run(...argv: string[]) {
  const io = captureIO(process.cwd(), {});
  const code = await main(argv, io, [failing]);
  return { code, stderr: io.err() };
}

describe('main', () => {
  it("shows the cause's first line, and its stack trace only with --log-level debug", async () => {
    const plain = await run('fail');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('rlaif fail: the weights do not fit\n  caused by: Expected shape 384,128 but received shape 384,64\n');
    expect(plain.stderr).toContain('--log-level debug');
    expect(plain.stderr).not.toMatch(/second line|\n\s+at /);
    for (const argv of [['--log-level', 'debug'], ['--log-level=debug']]) {
      const debug = await run('fail', ...argv);
      expect(debug.stderr).toMatch(/caused by: Error: Expected shape[\s\S]*second line[\s\S]*\n\s+at /);
    }
  });
});
