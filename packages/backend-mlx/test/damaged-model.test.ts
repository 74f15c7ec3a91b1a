/**
 * Issue #23: a damaged or mismatched model never loads silently. Each damage, applied to a copy of the
 * golden tiny Qwen2, makes `rlaif generate` exit 3 with an error naming the file and the tensor.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '@rlaif/core';
import { captureIO } from '@rlaif/core/testing';
import { describe, expect, it } from 'vitest';
import { copyTinyQwen2, editConfig, rewriteWeights } from './damaged-model.js';

async function generate(model: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO(process.cwd(), process.env);
  const code = await runCli(['generate', '--model', model, '--prompt', 'def add(a, b):', '--max-new-tokens', '4', '--json', ...flags], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const weightsOf = (dir: string) => path.join(dir, 'model.safetensors');

describe('rlaif generate on a damaged model', () => {
  it.each<[string, (dir: string) => void, RegExp]>([
    ['model.safetensors truncated to 5,000 bytes', (dir) => truncateSync(weightsOf(dir), 5000), /model\.safetensors: truncated: tensor model\.norm\.weight ends \d+ bytes past the end of the file \(5000 bytes\)/],
    [
      'one weight set to NaN',
      (dir) => rewriteWeights(dir, (t) => t.get('model.layers.1.mlp.up_proj.weight')!.bytes.writeFloatLE(Number.NaN, 40)),
      /model\.safetensors: tensor model\.layers\.1\.mlp\.up_proj\.weight hold\(s\) NaN or infinite values/,
    ],
    [
      'config.json with hidden_size doubled',
      (dir) => editConfig(dir, (c) => (c['hidden_size'] = 128)),
      /model\.safetensors: tensor model\.embed_tokens\.weight: config\.json implies shape \[384, 128\], the file has \[384, 64\]/,
    ],
    ['a missing tensor', (dir) => rewriteWeights(dir, (t) => t.delete('model.layers.0.self_attn.v_proj.bias')), /missing 1 tensor\(s\) the qwen2 architecture needs: model\.layers\.0\.self_attn\.v_proj\.bias/],
    [
      'an extra tensor',
      (dir) => rewriteWeights(dir, (t) => t.set('model.layers.0.self_attn.o_proj.bias', { dtype: 'F32', shape: [64], bytes: Buffer.alloc(256) })),
      /1 tensor\(s\) the qwen2 architecture does not have: model\.layers\.0\.self_attn\.o_proj\.bias/,
    ],
    [
      'a vocabulary larger than the embedding',
      (dir) => {
        const file = path.join(dir, 'tokenizer.json');
        const tokenizer = JSON.parse(readFileSync(file, 'utf8')) as { added_tokens: Record<string, unknown>[] };
        tokenizer.added_tokens.push({ id: 400, content: '<|extra|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
        writeFileSync(file, JSON.stringify(tokenizer));
      },
      /tokenizer\.json: the tokenizer produces ids up to 400, but the embedding has 384 rows/,
    ],
  ])('%s: exit code 3 and an error naming the file and the tensor', async (_, damage, message) => {
    const dir = copyTinyQwen2();
    damage(dir);
    const result = await generate(dir);
    expectRefused(result, message);
  });

  it('an infinite weight, and a weight that overflows the requested float16, are refused the same way', async () => {
    const infinite = copyTinyQwen2();
    rewriteWeights(infinite, (t) => t.get('model.embed_tokens.weight')!.bytes.writeFloatLE(Number.NEGATIVE_INFINITY, 4000));
    expectRefused(await generate(infinite), /tensor model\.embed_tokens\.weight hold\(s\) NaN or infinite values/);
    const large = copyTinyQwen2();
    rewriteWeights(large, (t) => t.get('model.norm.weight')!.bytes.writeFloatLE(1e6, 0));
    expect((await generate(large)).code).toBe(0);
    expectRefused(await generate(large, '--dtype', 'float16'), /tensor model\.norm\.weight hold\(s\) NaN or infinite values \(after conversion to float16\)[\s\S]*model\.dtype float32/);
  });
});

function expectRefused(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/download|revision|float32/);
  expect(result.stderr).not.toMatch(/caused by| at .*\.js:\d+/);
  expect(result.code).toBe(3);
}
