import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointManager } from '../../checkpoint/checkpointer.js';
import { captureIO } from '../../testing/capture-io.js';
import { main } from '../main.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlaif-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A backend double whose export only lists the checkpoint's adapter file.
const backend = join(scratch, 'backend.mjs');
writeFileSync(
  backend,
  `export default () => ({ specificationVersion: 'v1', kind: 'backend', name: 'fake', load() { throw new Error('unused'); },
    async experimental_export(request) { return { outputDir: request.outputDir, files: ['adapter_model.safetensors'] }; } });\n`,
);

async function checkpoint(runDir: string): Promise<string> {
  const saved = await new CheckpointManager(runDir).save({
    name: 'checkpoint-e0-b0-gs1', epoch: 0, batch: 0, globalStep: 1, trainerState: {}, trainingStats: {},
    summary: { baselineReward: null, averageReward: null }, appendOnlyFiles: {},
    writeModelState: (dir) => writeFile(join(dir, 'adapter_model.safetensors'), Buffer.alloc(1024, 3)),
  });
  return saved.path;
}

async function exportCheckpoint(dir: string) {
  const io = captureIO(scratch, {});
  const code = await main(['export', '--backend', backend, '--checkpoint', dir, '--format', 'peft', '--output', join(scratch, 'out')], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('rlaif export', () => {
  it('exports a checkpoint whose files match their checksums', async () => {
    const result = await exportCheckpoint(await checkpoint(join(scratch, 'good')));
    expect(result.code, result.stderr).toBe(0);
  });

  it('refuses a checkpoint with a flipped byte in its weights, naming the file, with exit code 3', async () => {
    const dir = await checkpoint(join(scratch, 'damaged'));
    const weights = join(dir, 'adapter_model.safetensors');
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 0x80;
    writeFileSync(weights, bytes);
    const result = await exportCheckpoint(dir);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${weights}: the file is damaged: its SHA-256 differs`);
    expect(result.code).toBe(3);
  });
});
