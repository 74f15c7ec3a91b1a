import path from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE, readManifest, verifyChecksums } from '../../checkpoint/manifest.js';
import { pathExists } from '../../io/path-exists.js';
import { EXIT_CODES, type CliCommand } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';
import { commandBackend, requireCapability } from './backend-option.js';

const FORMATS = ['peft', 'merged', 'gguf', 'gguf-lora'] as const;

const FLAGS = {
  checkpoint: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'base-model': { type: 'string' },
  backend: { type: 'string' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a checkpoint as PEFT adapter files, merged Hugging Face weights or GGUF',
  help: `Usage: rlaif export --checkpoint <dir> --format peft|merged|gguf|gguf-lora --output <dir> [flags]

  --checkpoint <dir>        a checkpoint folder (checkpoints/checkpoint-…)
  --format <f>              peft: adapter_config.json + adapter_model.safetensors (Python peft loads them)
                            merged: base + adapter merged into model.safetensors with config and tokenizer (transformers)
                            gguf: one merged .gguf file for llama.cpp
                            gguf-lora: the adapter alone as a llama.cpp GGUF adapter (--lora) for the base's gguf
  -o, --output <dir>        where to write (created when missing)
  --base-model <dir|id>     the base model (default: the adapter's base_model_name_or_path)
  --backend <package>       the engine (default: the config's backend, else @rlaif/backend-mlx)
  -c, --config <file>       take the backend from this config`,

  async run(argv, io) {
    const { values } = withUsageErrors('export', () => parseArgs({ args: [...argv], options: FLAGS, strict: true }));
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return EXIT_CODES.ok;
    }
    if (!values.checkpoint || !values.output || !values.format) throw new UsageError('rlaif export needs --checkpoint, --format and --output');
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
    const { backend } = await commandBackend({ backend: values.backend, config: values.config, cwd: io.cwd });
    const exportCheckpoint = requireCapability(backend, 'experimental_export', 'export');
    const checkpointDir = path.resolve(io.cwd, values.checkpoint);
    // A run's checkpoint carries a manifest with checksums: never export a damaged one. A bare
    // Optimizer.save folder has none, and its loader checks what it reads.
    if (await pathExists(path.join(checkpointDir, MANIFEST_FILE))) await verifyChecksums(checkpointDir, await readManifest(checkpointDir));
    const result = await exportCheckpoint({
      checkpointDir,
      ...(values['base-model'] ? { baseModel: values['base-model'] } : {}),
      format,
      outputDir: path.resolve(io.cwd, values.output),
    });
    io.stdout.write(`Exported ${format} to ${result.outputDir}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
    return EXIT_CODES.ok;
  },
};
