import { describe, expect, it } from 'vitest';
import { ggufPreTokenizer } from '../src/export/gguf-tokenizer.js';

const QWEN2 = String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const LLAMA3 = QWEN2.replace(String.raw`|\p{N}|`, String.raw`|\p{N}{1,3}|`);
const split = (regex: string) => ({
  type: 'Sequence',
  pretokenizers: [
    { type: 'Split', pattern: { Regex: regex } },
    { type: 'ByteLevel', add_prefix_space: false, use_regex: false },
  ],
});

describe('ggufPreTokenizer', () => {
  it("names the split regexes of Qwen2 and Llama 3 as llama.cpp does, and ByteLevel's own as gpt-2", () => {
    expect(ggufPreTokenizer(split(QWEN2), 'tokenizer.json')).toBe('qwen2');
    expect(ggufPreTokenizer(split(LLAMA3), 'tokenizer.json')).toBe('llama-bpe');
    expect(ggufPreTokenizer({ type: 'ByteLevel', add_prefix_space: false, use_regex: true }, 'tokenizer.json')).toBe('gpt-2');
  });

  it('refuses what llama.cpp would tokenize differently, naming the file and the way out', () => {
    expect(() => ggufPreTokenizer(split(String.raw`\p{L}+|\s+`), '/m/tokenizer.json')).toThrow(/\/m\/tokenizer\.json: .*unknown split regex/);
    expect(() => ggufPreTokenizer({ type: 'Metaspace' }, 't.json')).toThrow(/Metaspace/);
    expect(() => ggufPreTokenizer({ type: 'ByteLevel', add_prefix_space: true }, 't.json')).toThrow(/add_prefix_space/);
    expect(() => ggufPreTokenizer(null, 't.json')).toThrow(/none/);
    try {
      ggufPreTokenizer(null, 't.json');
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(/merged.*convert_hf_to_gguf/);
    }
  });
});
