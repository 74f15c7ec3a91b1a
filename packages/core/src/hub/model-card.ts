/**
 * The model repository's README.md: the hub's YAML metadata (base_model, library_name, tags,
 * license, datasets), how the model was trained, the validation report, the reward curve, and how
 * to load it with transformers, peft, llama.cpp and `rlaif generate`.
 */
import type { RunFacts } from './run-facts.js';
import { objectAt } from './run-facts.js';

/** What the card is for. */
export interface ModelCardInput {
  readonly facts: RunFacts;
  /** `adapter` (PEFT), `merged` (transformers) or `gguf`. */
  readonly format: 'adapter' | 'merged' | 'gguf';
  readonly repoId: string;
  /** The checkpoint's folder name, e.g. `checkpoint-final-gs120`. */
  readonly checkpoint: string;
  readonly globalStep: number | undefined;
  /** The base model's licence, when its card names one. */
  readonly license?: string | undefined;
  /** The dataset repository of the same run, when it is pushed too. */
  readonly datasetRepoId?: string | undefined;
  /** File name of the reward curve image in the repository, when there is one. */
  readonly rewardCurveFile?: string | undefined;
  /** File name of the GGUF file (gguf format). */
  readonly ggufFile?: string | undefined;
}

const LIBRARY: Record<ModelCardInput['format'], string> = { adapter: 'peft', merged: 'transformers', gguf: 'gguf' };

/** Renders README.md for a model repository. */
export function renderModelCard(input: ModelCardInput): string {
  const { facts, format } = input;
  const config = facts.config;
  const model = objectAt(config, 'model');
  const rlaif = objectAt(config, 'rlaif');
  const training = objectAt(config, 'training');
  const lora = objectAt(model, 'lora');
  const base = typeof model?.['name'] === 'string' ? model['name'] : undefined;
  const algorithm = typeof rlaif?.['advantage'] === 'string' ? rlaif['advantage'] : undefined;
  const fullFineTuning = model?.['finetuning'] === 'full';
  const teacher = facts.teacher;
  const rewards = facts.rewards;

  const tags = ['rlaif', 'reinforcement-learning', 'code', ...(algorithm ? [algorithm.replace('_', '-')] : []), ...(format === 'adapter' ? ['lora'] : []), ...(format === 'gguf' ? ['gguf'] : [])];
  const frontMatter = [
    '---',
    ...(base ? ['base_model:', `- ${yamlString(base)}`] : []),
    `library_name: ${LIBRARY[format]}`,
    'pipeline_tag: text-generation',
    ...(input.license ? [`license: ${yamlString(input.license)}`] : []),
    'tags:',
    ...tags.map((tag) => `- ${tag}`),
    ...(input.datasetRepoId ? ['datasets:', `- ${yamlString(input.datasetRepoId)}`] : []),
    '---',
  ];

  const summary = facts.summary;
  const generation = objectAt(summary, 'generation');
  const backprop = objectAt(summary, 'backprop');
  const hyper: [string, unknown][] = [
    ['algorithm (advantage estimator)', algorithm],
    ['epochs', training?.['epochs']],
    ['batch size (prompts per step)', training?.['batchSize']],
    ['samples per prompt', rlaif?.['numSamplesPerPrompt']],
    ['learning rate', training?.['learningRate']],
    ['schedule', training?.['schedule']],
    ['KL penalty β', rlaif?.['klPenalty']],
    ['KL estimator', rlaif?.['klEstimator']],
    ['temperature', rlaif?.['temperature']],
    ['max new tokens', rlaif?.['maxNewTokens']],
    ['fine-tuning', fullFineTuning ? 'full (every weight)' : lora ? `LoRA r=${String(lora['rank'])}, α=${String(lora['alpha'])}` : undefined],
    ['SFT warm-up', objectAt(training, 'sft')?.['enabled'] === true ? 'yes' : objectAt(training, 'sft') ? 'no' : undefined],
    ['optimizer steps', input.globalStep],
    ['tokens generated', generation?.['totalTokens']],
    ['tokens trained on', backprop?.['totalTokens']],
    ['teacher cost (USD)', objectAt(summary, 'teacher')?.['costUSD']],
    ['duration (s)', typeof summary?.['durationSeconds'] === 'number' ? Math.round(summary['durationSeconds']) : undefined],
  ];

  const body = [
    `# ${input.repoId.split('/')[1]}`,
    '',
    `${base ? `\`${base}\`` : 'A code model'} fine-tuned with reinforcement learning from AI feedback by [rlaif](https://www.npmjs.com/package/@rlaif/core): ` +
      'the student sampled programs for coding tasks, a teacher wrote reference solutions and scored every sample, and a policy-gradient step with a KL penalty to the base model turned the rewards into updates. ' +
      FORMAT_SENTENCE[format],
    '',
    '## How it was trained',
    '',
    ...(teacher ? [`- Teacher: ${teacher}`] : []),
    ...(rewards ? [`- Rewards: ${rewards}`] : []),
    `- Checkpoint: \`${input.checkpoint}\``,
    '',
    '| setting | value |',
    '| --- | --- |',
    ...hyper.filter(([, value]) => value !== undefined && value !== null).map(([name, value]) => `| ${name} | ${formatValue(value)} |`),
    '',
    ...validationSection(facts),
    ...(input.rewardCurveFile ? ['## Reward during training', '', `![mean reward per batch](${input.rewardCurveFile})`, ''] : []),
    '## How to use it',
    '',
    ...usage(input, base),
  ];
  return [...frontMatter, '', ...body].join('\n');
}

const FORMAT_SENTENCE: Record<ModelCardInput['format'], string> = {
  adapter: 'This repository holds the LoRA adapter in PEFT layout; load it on top of the base model.',
  merged: 'This repository holds the merged weights (base + adapter) with the config and tokenizer, ready for transformers.',
  gguf: 'This repository holds the merged model as one GGUF file for llama.cpp.',
};

function validationSection(facts: RunFacts): string[] {
  const report = facts.validation;
  const baseline = objectAt(report, 'baseline');
  const fineTuned = objectAt(report, 'fineTuned');
  if (!report || !baseline || !fineTuned) return [];
  const percent = (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '–');
  const relative = report['relativeImprovementPercent'];
  return [
    '## Validation',
    '',
    `Held-out tasks: ${formatValue(report['testCases'])}, ${formatValue(report['samplesPerTask'])} samples each at temperature ${formatValue(report['temperature'])}.`,
    '',
    '| | baseline | fine-tuned |',
    '| --- | ---: | ---: |',
    `| mean reward | ${formatValue(baseline['averageReward'])} | ${formatValue(fineTuned['averageReward'])} |`,
    `| pass rate | ${percent(baseline['passRate'])} | ${percent(fineTuned['passRate'])} |`,
    '',
    `Improvement: ${formatValue(report['averageImprovement'])}${typeof relative === 'number' ? ` (${relative >= 0 ? '+' : ''}${relative.toFixed(1)} %)` : ''}; ` +
      `tasks improved ${formatValue(report['improved'])}, degraded ${formatValue(report['degraded'])}, equal ${formatValue(report['equal'])}.`,
    '',
  ];
}

function usage(input: ModelCardInput, base: string | undefined): string[] {
  const repo = input.repoId;
  const baseId = base ?? '<base model>';
  if (input.format === 'gguf') {
    const file = input.ggufFile ?? 'model.gguf';
    return [
      'llama.cpp:',
      '',
      '```bash',
      `llama-cli --hf-repo ${repo} --hf-file ${file} -p "Write a Python function that reverses a string."`,
      '```',
      '',
    ];
  }
  const python =
    input.format === 'adapter'
      ? [
          '```python',
          'from transformers import AutoModelForCausalLM, AutoTokenizer',
          'from peft import PeftModel',
          '',
          `base = AutoModelForCausalLM.from_pretrained(${JSON.stringify(baseId)})`,
          `model = PeftModel.from_pretrained(base, ${JSON.stringify(repo)})`,
          `tokenizer = AutoTokenizer.from_pretrained(${JSON.stringify(baseId)})`,
          '```',
        ]
      : [
          '```python',
          'from transformers import AutoModelForCausalLM, AutoTokenizer',
          '',
          `model = AutoModelForCausalLM.from_pretrained(${JSON.stringify(repo)})`,
          `tokenizer = AutoTokenizer.from_pretrained(${JSON.stringify(repo)})`,
          '```',
        ];
  const rlaif =
    input.format === 'adapter'
      ? `npx rlaif generate --model ${baseId} --adapter <local copy of ${repo}> --chat --prompt "Write a Python function that reverses a string."`
      : `npx rlaif generate --model ${repo} --chat --prompt "Write a Python function that reverses a string."`;
  return [
    input.format === 'adapter' ? 'With peft:' : 'With transformers:',
    '',
    ...python,
    '',
    'With rlaif:',
    '',
    '```bash',
    rlaif,
    '```',
    '',
    ...(input.format === 'merged' ? ['For llama.cpp, convert it with `convert_hf_to_gguf.py`, or push the GGUF export (`rlaif push … --format gguf`).', ''] : []),
  ];
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (value === undefined || value === null) return '–';
  return String(value);
}

function yamlString(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : JSON.stringify(value);
}
