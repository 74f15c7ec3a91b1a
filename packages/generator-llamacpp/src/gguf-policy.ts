/**
 * Turns what `syncPolicy` is given into one GGUF file through the backend's own export (the one
 * verified against llama.cpp): a whole model folder (full fine-tuning) is converted; a PEFT adapter
 * is merged into the base and converted. Files go to `{dir}.gguf/model.gguf` beside the synced folder.
 */
import { BackendError } from '@rlaif/core';
import type { PolicyBinding } from '@rlaif/core';

/** Exports the policy in `dir` (what Optimizer.save wrote) to GGUF; resolves to the file. */
export async function exportGguf(binding: PolicyBinding, dir: string): Promise<string> {
  if (!binding.exportPolicy) {
    throw new BackendError('the backend has no GGUF export, which @rlaif/generator-llamacpp loads the policy through', {
      hint: "use '@rlaif/backend-mlx' as the backend, or remove the generator key",
    });
  }
  const outputDir = `${dir}.gguf`;
  const result = await binding.exportPolicy({
    checkpointDir: dir,
    ...(binding.lora ? { baseModel: binding.model.nameOrPath } : {}),
    format: 'gguf',
    outputDir,
  });
  const file = result.files.find((f) => f.endsWith('.gguf'));
  if (!file) throw new BackendError(`the backend's export wrote no .gguf file in ${outputDir}`, { hint: 'check the backend supports format gguf for this model' });
  return file;
}
