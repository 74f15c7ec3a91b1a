import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';

// A backend plugin file whose generateText returns the given log-probs (a test double of an engine).
const scratch = mkdtempSync(join(tmpdir(), 'rlaif-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function backendFile(logprobs: string): string {
  const file = join(scratch, `backend-${logprobs.length}.mjs`);
  writeFileSync(
    file,
    `export default () => ({ specificationVersion: 'v1', kind: 'backend', name: 'fake', load() { throw new Error('unused'); },
      async experimental_generateText() { return { text: 'x', promptTokens: [1], completionTokens: [7, 0], logprobs: ${logprobs}, finishReason: 'eos', seconds: 0 }; } });\n`,
  );
  return file;
}

async function generate(logprobs: string) {
  const io = captureIO(scratch, {});
  const code = await main(['generate', '--backend', backendFile(logprobs), '--model', '/m', '--prompt', 'p', '--json'], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('rlaif generate --json', () => {
  it('prints finite log-probs as they are', async () => {
    const { code, stdout } = await generate('[-0.5, -1.25]');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ completionTokens: [7, 0], logprobs: [-0.5, -1.25] });
  });

  it('never prints null for a non-finite log-prob: it fails naming the token', async () => {
    const { code, stdout, stderr } = await generate('[-0.5, NaN]');
    expect(stdout).toBe('');
    expect(stderr).toMatch(/completion token 2 \(id 0\) has log-prob NaN: the model computes non-finite values/);
    expect(code).toBe(1);
  });
});
