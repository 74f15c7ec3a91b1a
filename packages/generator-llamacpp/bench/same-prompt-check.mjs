/**
 * Diagnostic for the README's "Fixed: many parallel sequences corrupted completions": N sequences of
 * one llama.cpp context decode the same prompt greedily at once, through node-llama-cpp alone (no rlaif
 * code, so without the generator's guard); every output should be the same. Prints how many distinct
 * outputs there were, and them. Run from the repo root:
 *
 *   node packages/generator-llamacpp/bench/same-prompt-check.mjs <model.gguf> [sequences=8] [repeats=5]
 *
 * (a GGUF of a trained checkpoint: `rlaif export --format gguf`; a random model's greedy text says little.)
 */
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const [file, sequences = '8', repeats = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: same-prompt-check.mjs <model.gguf> [sequences] [repeats]');
  process.exit(2);
}
const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: file });
const prompt = model.tokenize('<|im_start|>user\nWrite `def solve(xs: list[int]) -> list[int]` that returns the list of x plus 9 if x is divisible by 4, else x, for each x in xs.<|im_end|>\n<|im_start|>assistant\n', true);
let corrupted = 0;
for (let run = 1; run <= Number(repeats); run++) {
  const context = await model.createContext({ contextSize: 512, sequences: Number(sequences), threads: { ideal: 1, min: 1 } });
  const outputs = await Promise.all(
    Array.from({ length: Number(sequences) }, async () => {
      const sequence = context.getSequence();
      const tokens = [];
      for await (const { token } of sequence.evaluateWithMetadata(prompt, { confidence: true }, { temperature: 0 })) {
        tokens.push(token);
        if (tokens.length >= 60 || model.isEogToken(token)) break;
      }
      return model.detokenize(tokens);
    }),
  );
  const distinct = new Set(outputs);
  if (distinct.size > 1) corrupted++;
  console.log(`run ${run}: ${sequences} sequences, ${distinct.size} distinct output(s)`);
  if (distinct.size > 1) for (const output of distinct) console.log(`  ${JSON.stringify(output.slice(0, 100))}`);
  await context.dispose();
}
console.log(`${corrupted} of ${repeats} runs gave different outputs for one prompt`);
await model.dispose();
