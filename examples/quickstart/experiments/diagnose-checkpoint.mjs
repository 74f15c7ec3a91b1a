#!/usr/bin/env node
/**
 * Compares what a checkpoint learned under teacher forcing with what it generates greedily, on the
 * first tasks of a JSONL file: per-token NLL and argmax accuracy of the reference, then the greedy
 * completion. A low NLL with a garbled greedy completion points at a train/sample mismatch.
 *   node examples/quickstart/experiments/diagnose-checkpoint.mjs CHECKPOINT_DIR [TASKS.jsonl] [N]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx } from '@frost-beta/mlx';
import { applyLora, formatTaskPrompt, generateSamples, loadModel, loadPeftAdapter } from '@rlaif/backend-mlx';

const HERE = dirname(fileURLToPath(import.meta.url));
const [checkpoint, tasksFile = join(HERE, '../tasks/train.jsonl'), count = '4'] = process.argv.slice(2);
const loaded = await loadModel(join(HERE, '../.model'));
const adapter = JSON.parse(readFileSync(join(checkpoint, 'adapter_config.json'), 'utf8'));
const layers = applyLora(loaded.model, { rank: adapter.r, alpha: adapter.lora_alpha, dropout: 0, targetModules: [] });
await loadPeftAdapter(checkpoint, layers);
const spec = { chatTemplate: true, systemPrompt: '' };
const rows = readFileSync(tasksFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const picked = [];
for (const lang of ['python', 'cpp', 'rust']) picked.push(...rows.filter((r) => r.language === lang).slice(0, Number(count)));
for (const row of picked) {
  const task = { id: row.id, language: row.language, prompt: row.prompt, extra: {} };
  const prompt = formatTaskPrompt(task, loaded.tokenizer, spec);
  const completion = [...loaded.tokenizer.encode(`\`\`\`${row.language}\n${row.reference.trimEnd()}\n\`\`\``, { addSpecialTokens: false }), loaded.eosTokenIds[0]];
  const all = [...prompt, ...completion];
  const logits = loaded.model.forward(mx.array([all.slice(0, -1)], mx.int32));
  const logp = mx.subtract(logits, mx.logsumexp(logits, -1, true));
  const argmax = mx.argmax(logits, -1).tolist()[0];
  const lp = logp.tolist()[0];
  let nll = 0;
  let correct = 0;
  for (let i = prompt.length - 1; i < all.length - 1; i++) {
    nll -= lp[i][all[i + 1]];
    if (argmax[i] === all[i + 1]) correct++;
  }
  const n = completion.length;
  const [samples] = await generateSamples(loaded.model, [prompt], 1, {
    tokenizer: loaded.tokenizer,
    eosTokenIds: loaded.eosTokenIds,
    sampling: { temperature: 0, topP: 1, topK: 0, minP: 0, maxNewTokens: 72, stop: [], seed: 1 },
  });
  const text = loaded.tokenizer.decode(samples[0].tokenIds);
  console.log(`${row.id}: NLL/token ${(nll / n).toFixed(3)}, argmax acc ${(correct / n).toFixed(3)} (${n} tokens)`);
  console.log(`  greedy: ${JSON.stringify(text.slice(0, 160))}`);
}
