import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendError } from '../../errors/index.js';
import { EXIT_CODES, type CliCommand } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';
import { commandBackend, requireCapability } from './backend-option.js';

const FLAGS = {
  model: { type: 'string', short: 'm' },
  adapter: { type: 'string' },
  prompt: { type: 'string', short: 'p' },
  chat: { type: 'boolean' },
  system: { type: 'string' },
  'max-new-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  seed: { type: 'string' },
  dtype: { type: 'string' },
  json: { type: 'boolean' },
  backend: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function number(flag: string, value: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${flag}: '${value}' is out of range`);
  return n;
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Generate a completion from a model (optionally with a checkpoint adapter)',
  help: `Usage: rlaif generate --model <dir|hub id> --prompt <text> [flags]

  -m, --model <dir|id>      model folder or hub id (default: the config's model.name)
  --adapter <dir>           a checkpoint folder whose LoRA adapter is applied
  -p, --prompt <text>       the prompt, used verbatim unless --chat
  --chat                    wrap the prompt in the tokenizer's chat template
  --system <text>           system prompt with --chat
  --max-new-tokens <n>      default 256
  --temperature <t>         default 0 (greedy)
  --top-p <p>               default 1
  --seed <n>                default 0
  --dtype <d>               float32 | bfloat16 | float16 (default float32)
  --json                    print {text, promptTokens, completionTokens, logprobs, finishReason, seconds}
  --backend <package>       default: the config's backend, else @rlaif/backend-mlx
  -c, --config <file>       take the backend and model from this config
  --log-level <level>       error | warn | info | debug; debug shows the engine's stack trace on failure`,

  async run(argv, io) {
    const { values } = withUsageErrors('generate', () => parseArgs({ args: [...argv], options: FLAGS, strict: true }));
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return EXIT_CODES.ok;
    }
    const level = values['log-level'];
    if (level !== undefined && !['error', 'warn', 'info', 'debug'].includes(level)) {
      throw new UsageError(`--log-level must be one of error, warn, info, debug; got '${level}'`);
    }
    if (values.prompt === undefined) throw new UsageError('rlaif generate needs --prompt <text>');
    const { backend, config } = await commandBackend({ backend: values.backend, config: values.config, cwd: io.cwd });
    const model = values.model ?? config?.model.name;
    if (!model) throw new UsageError('rlaif generate needs --model <dir|hub id> (or --config with model.name)');
    const dtype = (values.dtype ?? 'float32') as 'float32' | 'bfloat16' | 'float16';
    if (!['float32', 'bfloat16', 'float16'].includes(dtype)) throw new UsageError(`--dtype must be float32, bfloat16 or float16; got '${values.dtype}'`);
    const generateText = requireCapability(backend, 'experimental_generateText', 'generate');
    const local = model.startsWith('.') || model.startsWith('/') ? path.resolve(io.cwd, model) : model;
    const result = await generateText({
      model: {
        nameOrPath: local,
        revision: config?.model.revision ?? 'main',
        dtype,
        quantizeBits: 0,
        chatTemplate: values.chat ?? false,
        systemPrompt: values.system ?? '',
      },
      ...(values.adapter ? { adapterDir: path.resolve(io.cwd, values.adapter) } : {}),
      prompt: values.prompt,
      sampling: {
        temperature: number('temperature', values.temperature, 0, (n) => n >= 0),
        topP: number('top-p', values['top-p'], 1, (n) => n > 0 && n <= 1),
        topK: 0,
        minP: 0,
        maxNewTokens: number('max-new-tokens', values['max-new-tokens'], 256, (n) => Number.isInteger(n) && n > 0),
        stop: [],
        seed: number('seed', values.seed, 0, Number.isInteger),
      },
    });
    // JSON has no NaN: a non-finite log-prob would print as null, which reads like "not computed".
    const bad = result.logprobs.findIndex((logprob) => !Number.isFinite(logprob));
    if (bad >= 0) {
      throw new BackendError(`completion token ${bad + 1} (id ${result.completionTokens[bad]}) has log-prob ${result.logprobs[bad]}: the model computes non-finite values`, {
        hint: 'check the model (rlaif loads it with weight checks) and try --dtype float32; run again with --log-level debug for details',
      });
    }
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(`${result.text}\n`);
    return EXIT_CODES.ok;
  },
};
