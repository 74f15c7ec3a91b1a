/**
 * The byte-level alphabet and the pre-tokenizer of Qwen2's BPE (NFC, a regex split, bytes mapped to
 * printable characters), matching the tokenizer.json we write, so merges learned here are the ones
 * `tokenizers` applies. Transformers rebuilds exactly this pipeline for model_type qwen2.
 */

/**
 * The 256 printable characters standing for bytes 0..255 (`bytes_to_unicode`): printable Latin-1
 * bytes stand for themselves, the others are shifted past U+0100 so no token holds a space or control.
 */
export const BYTE_CHARS: readonly string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b += 1) {
    chars.push(String.fromCodePoint(printable(b) ? b : 256 + shifted++));
  }
  return chars;
})();

/** Qwen2's split regex as written in tokenizer.json: words with one leading non-letter, single digits, punctuation runs, newlines, spaces. */
export const SPLIT_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// The same in JavaScript, whose regexes (Node 20) have no inline `(?i:)` group: case spelled out.
const SPLIT = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** NFC-normalises text, splits it into pre-tokens and maps each to byte characters, as the tokenizer.json pipeline does. */
export function byteLevelWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFC').matchAll(SPLIT)) {
    let word = '';
    for (const byte of encoder.encode(match[0])) word += BYTE_CHARS[byte];
    words.push(word);
  }
  return words;
}
