/**
 * `tokenizer.ggml.*` metadata of a GGUF file from a byte-level BPE `tokenizer.json`: vocabulary, token
 * types, merges, special ids, chat template, and the two things llama.cpp cannot read from the
 * vocabulary itself and gets silently wrong when mislabelled: which pre-tokenizer regex splits the
 * text (`tokenizer.ggml.pre`) and whether a BOS token is prepended (`tokenizer.ggml.add_bos_token`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BackendError } from '@rlaif/core';
import type { ModelConfig } from '@rlaif/hf';
import type { GgufValue } from './gguf-writer.js';

interface PreTokenizerJson {
  type: string;
  use_regex?: boolean;
  add_prefix_space?: boolean;
  pattern?: { Regex?: string; String?: string };
  pretokenizers?: PreTokenizerJson[];
}

interface PostProcessorJson {
  type: string;
  single?: ({ SpecialToken?: { id: string } } | { Sequence?: { id: string } })[];
  processors?: PostProcessorJson[];
}

interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges?: (string | [string, string])[]; byte_fallback?: boolean };
  added_tokens?: { id: number; content: string; special: boolean }[];
  pre_tokenizer?: PreTokenizerJson | null;
  post_processor?: PostProcessorJson | null;
}

/** Split regexes of the families we export, by llama.cpp's name for them. */
const KNOWN_SPLIT_REGEXES: Record<string, string> = {
  qwen2: String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  'llama-bpe': String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
};

/**
 * llama.cpp's name for the pre-tokenizer of `tokenizer.json`: `gpt-2` for a plain ByteLevel with its
 * built-in regex, or the family whose Split regex it uses (Qwen2, Llama 3). Anything else would be
 * tokenized differently by llama.cpp than by the model's own tokenizer, so it is refused.
 */
export function ggufPreTokenizer(preTokenizer: PreTokenizerJson | null | undefined, file: string): string {
  const unsupported = (what: string) =>
    new BackendError(`${file}: GGUF export cannot label this tokenizer's pre-tokenizer for llama.cpp (${what})`, {
      hint: "export with format 'merged' and convert with llama.cpp's convert_hf_to_gguf.py, which knows more tokenizers",
    });
  if (!preTokenizer) throw unsupported('none');
  if (preTokenizer.type === 'ByteLevel') {
    if (preTokenizer.use_regex === false) throw unsupported('ByteLevel without a split regex');
    if (preTokenizer.add_prefix_space === true) throw unsupported('ByteLevel with add_prefix_space');
    return 'gpt-2';
  }
  if (preTokenizer.type === 'Sequence') {
    const parts = preTokenizer.pretokenizers ?? [];
    const splits = parts.filter((p) => p.type === 'Split');
    const byteLevel = parts.filter((p) => p.type === 'ByteLevel');
    const regex = splits[0]?.pattern?.Regex;
    if (parts.length === 2 && splits.length === 1 && byteLevel.length === 1 && byteLevel[0]!.use_regex === false && regex !== undefined) {
      const name = Object.entries(KNOWN_SPLIT_REGEXES).find(([, known]) => known === regex)?.[0];
      if (name) return name;
      throw unsupported(`unknown split regex ${JSON.stringify(regex)}`);
    }
    throw unsupported(`a sequence of ${parts.map((p) => p.type).join(', ')}`);
  }
  throw unsupported(preTokenizer.type);
}

/** True when the tokenizer prepends `bosToken` to a single text: its post-processor's template starts with it. */
function postProcessorAddsBos(processor: PostProcessorJson | null | undefined, bosToken: string | undefined): boolean {
  if (!processor || bosToken === undefined) return false;
  if (processor.type === 'Sequence') return (processor.processors ?? []).some((p) => postProcessorAddsBos(p, bosToken));
  if (processor.type !== 'TemplateProcessing') return false;
  const first = processor.single?.[0];
  return first !== undefined && 'SpecialToken' in first && first.SpecialToken?.id === bosToken;
}

async function readJsonIfPresent(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function chatTemplate(modelDir: string, tokenizerConfig: Record<string, unknown> | undefined): Promise<string | undefined> {
  try {
    return await readFile(path.join(modelDir, 'chat_template.jinja'), 'utf8');
  } catch {
    const value = tokenizerConfig?.['chat_template'];
    return typeof value === 'string' ? value : undefined;
  }
}

/** `tokenizer.ggml.*` metadata from a byte-level BPE tokenizer.json (Qwen2, Llama 3). */
export async function tokenizerMetadata(modelDir: string, config: ModelConfig): Promise<[string, GgufValue][]> {
  const file = path.join(modelDir, 'tokenizer.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as TokenizerJson;
  if (json.model.type !== 'BPE' || json.model.byte_fallback) {
    throw new BackendError(`${file}: GGUF export supports byte-level BPE tokenizers (model.type "BPE"), found ${json.model.type}${json.model.byte_fallback ? ' with byte_fallback' : ''}`, {
      hint: 'export with format "merged" and convert with llama.cpp\'s convert_hf_to_gguf.py instead',
    });
  }
  const pre = ggufPreTokenizer(json.pre_tokenizer, file);
  const added = json.added_tokens ?? [];
  const maxId = Math.max(...Object.values(json.model.vocab), ...added.map((t) => t.id));
  const size = Math.max(config.vocabSize, maxId + 1);
  const tokens: string[] = Array.from({ length: size }, (_, i) => `[PAD${i}]`);
  // 1 normal, 3 control, 4 user-defined, 5 unused (llama.cpp's llama_token_type).
  const types: number[] = new Array<number>(size).fill(5);
  for (const [token, id] of Object.entries(json.model.vocab)) {
    tokens[id] = token;
    types[id] = 1;
  }
  for (const token of added) {
    tokens[token.id] = token.content;
    types[token.id] = token.special ? 3 : 4;
  }
  const merges = (json.model.merges ?? []).map((m) => (Array.isArray(m) ? m.join(' ') : m));
  const meta: [string, GgufValue][] = [
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: pre }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: types }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: merges }],
  ];
  const tokenizerConfig = await readJsonIfPresent(path.join(modelDir, 'tokenizer_config.json'));
  const textOf = (key: string): string | undefined => {
    const value = tokenizerConfig?.[key];
    return typeof value === 'string' ? value : (value as { content?: string } | undefined)?.content;
  };
  const idOf = (key: string): number | undefined => {
    const text = textOf(key);
    return text === undefined ? undefined : (added.find((t) => t.content === text)?.id ?? json.model.vocab[text]);
  };
  const bos = idOf('bos_token') ?? config.bosTokenId ?? undefined;
  const eos = idOf('eos_token') ?? config.eosTokenIds[0];
  const pad = idOf('pad_token');
  if (bos !== undefined && bos !== null) meta.push(['tokenizer.ggml.bos_token_id', { type: 'uint32', value: bos }]);
  if (eos !== undefined) meta.push(['tokenizer.ggml.eos_token_id', { type: 'uint32', value: eos }]);
  if (pad !== undefined) meta.push(['tokenizer.ggml.padding_token_id', { type: 'uint32', value: pad }]);
  // Llama 3 says it in tokenizer.json's post-processor, not in tokenizer_config.json.
  const explicit = tokenizerConfig?.['add_bos_token'];
  const addBos = typeof explicit === 'boolean' ? explicit : postProcessorAddsBos(json.post_processor, textOf('bos_token'));
  meta.push(['tokenizer.ggml.add_bos_token', { type: 'bool', value: addBos }]);
  const template = await chatTemplate(modelDir, tokenizerConfig);
  if (template) meta.push(['tokenizer.chat_template', { type: 'string', value: template }]);
  return meta;
}
