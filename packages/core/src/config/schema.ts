/**
 * The rlaif config schema: every section of `rlaif.config.ts` / `.rlaifrc.*`, with defaults and a
 * one-line help per field. Objects are strict so a typo is an error, never a silently ignored key.
 * Sections mirror the reference system's config.yaml (model, teacher, training, rlaif, logging, …).
 */
import * as z from 'zod';
import { crossFieldErrors } from './cross-checks.js';
import { isPluginObject, isUsePluginRef, pluginRefSchema } from './plugin-ref.js';
import type { PluginRef } from './plugin-ref.js';

/** data.evalSplit's default; a different value alongside evalFile is a user setting that gets ignored. */
export const DEFAULT_EVAL_SPLIT = 0.1;

const positiveInt = () => z.int().min(1);
const nonNegativeInt = () => z.int().min(0);

const loraSchema = z
  .strictObject({
    rank: positiveInt().default(16).describe('LoRA rank r: size of the low-rank update matrices'),
    alpha: z.number().gt(0).default(32).describe('LoRA scaling numerator: the update is (alpha / rank) · B·A'),
    dropout: z.number().min(0).lt(1).default(0.05).describe('Dropout on the LoRA input, in [0, 1)'),
    targetModules: z
      .array(z.string().min(1))
      .default([])
      .describe('Module names to adapt (q_proj, v_proj, …); empty = all linear projections'),
  })
  .prefault({})
  .describe('LoRA adapter settings');

const modelSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .default('Qwen/Qwen2.5-Coder-0.5B-Instruct')
      .describe('Hugging Face hub id or local folder of the student model (relative to the config file)'),
    revision: z.string().min(1).default('main').describe('Hub revision (branch, tag or commit) of the student'),
    dtype: z.enum(['float32', 'bfloat16', 'float16']).default('bfloat16').describe('Storage dtype of the base weights'),
    quantization: z
      .enum(['none', '4bit', '8bit'])
      .default('none')
      .describe('Quantise the frozen base weights (QLoRA-style): none, 4bit or 8bit'),
    chatTemplate: z.boolean().default(true).describe("Apply the tokenizer's chat template to prompts (instruct models)"),
    systemPrompt: z
      .string()
      .default('You are a coding assistant. Write correct, efficient, well-documented code.')
      .describe('System prompt placed before each task when the chat template is used; empty = none'),
    maxLength: positiveInt()
      .optional()
      .describe(
        "Cap on prompt + completion tokens (the reference's max_length): a completion stops at min(rlaif.maxNewTokens, maxLength − prompt tokens). No default: the reference's 512 would cut rlaif's chat-template prompts' completions short; set it to bound memory",
      ),
    finetuning: z
      .enum(['lora', 'full'])
      .default('lora')
      .describe(
        'What trains: lora = adapters on a frozen base (PEFT checkpoints); full = every weight (small models; checkpoints are whole model folders)',
      ),
    lora: loraSchema,
  })
  .prefault({})
  .describe('The student model');

/** `{ fn, weight }` after normalisation; a bare PluginRef becomes `{ fn: ref, weight: 1 }`. */
const rewardEntrySchema = z.strictObject({
  fn: pluginRefSchema.describe("Reward function: a built-in name ('ratio', 'difference', 'pass_rate'), package, path or RewardFn object"),
  weight: z.number().refine(Number.isFinite, 'expected a finite number').default(1).describe('Weight of this reward in the weighted sum'),
});

// A bare ref (string, { use }, plugin object) is wrapped; anything else goes to the strict entry schema
// so a typo such as `{ fn: 'ratio', wieght: 2 }` gets a did-you-mean instead of a vague union error.
const rewardItemSchema = z.preprocess(
  (value) => (typeof value === 'string' || isUsePluginRef(value) || isPluginObject(value) ? { fn: value } : value),
  rewardEntrySchema,
);

const dataSchema = z
  .strictObject({
    trainFile: z.string().min(1).default('./data/train.jsonl').describe('JSONL file of training tasks (relative to the config file)'),
    evalFile: z.string().min(1).optional().describe('JSONL file of evaluation tasks; when absent, evalSplit of trainFile is held out'),
    evalSplit: z.number().min(0).lt(1).default(DEFAULT_EVAL_SPLIT).describe('Fraction of trainFile held out for evaluation when evalFile is absent'),
    shuffle: z.boolean().default(true).describe('Shuffle training tasks each epoch (seeded by training.seed)'),
    maxTasks: positiveInt().optional().describe('Use at most this many training tasks (quick experiments)'),
    skipLanguagesWithoutToolchain: z
      .boolean()
      .default(false)
      .describe("Skip tasks in languages the teacher cannot run here (e.g. no rustc), saying how many; false = stop before training"),
  })
  .prefault({})
  .describe('Where the tasks come from');

const sftSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Run a supervised warm-up on reference solutions before RL'),
    epochs: positiveInt().default(1).describe('Epochs of the supervised warm-up'),
    batchSize: positiveInt().default(8).describe('Examples per supervised step'),
    learningRate: z.number().gt(0).default(1e-4).describe('Peak learning rate of the supervised warm-up'),
    schedule: z
      .enum(['cosine', 'linear', 'constant'])
      .default('constant')
      .describe("Learning-rate schedule of the warm-up's steps after its warmupSteps: constant, or linear or cosine decay to 0 at its last step"),
    warmupSteps: nonNegativeInt().default(0).describe('Supervised steps of linear learning-rate warm-up at the start of the SFT warm-up'),
    maxExamples: positiveInt().optional().describe('Use at most this many examples for the warm-up'),
    carryOptimizerState: z
      .boolean()
      .default(true)
      .describe(
        "RL continues with the warm-up's AdamW moments (true), or starts a fresh optimiser (false). Carried second moments keep the first RL steps as small as the warm-up's last ones; a fresh AdamW's first steps are about the learning rate in every weight",
      ),
  })
  .prefault({})
  .describe('Supervised fine-tuning warm-up');

const trainingSchema = z
  .strictObject({
    epochs: positiveInt().default(3).describe('Passes over the training tasks'),
    batchSize: positiveInt().default(4).describe('Prompts per step (each sampled rlaif.numSamplesPerPrompt times)'),
    maxBatchesPerEpoch: positiveInt()
      .optional()
      .describe('RL batches per epoch at most: each epoch takes a fresh shuffled subset of the tasks (SFT still uses them all)'),
    gradientAccumulationSteps: positiveInt().default(1).describe('Steps whose gradients are summed before one optimiser update'),
    microBatchSize: positiveInt().default(8).describe('Rollouts per forward/backward pass'),
    learningRate: z.number().gt(0).default(1e-5).describe('Peak learning rate of the RL updates'),
    weightDecay: z.number().min(0).default(0).describe('AdamW decoupled weight decay'),
    adamBetas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.999]).describe('AdamW β1 and β2, each in [0, 1)'),
    adamEpsilon: z.number().gt(0).default(1e-8).describe('AdamW ε added to the denominator'),
    maxGradNorm: z.number().min(0).default(1).describe('Clip the global gradient norm to this; 0 disables'),
    schedule: z.enum(['cosine', 'linear', 'constant']).default('cosine').describe('Learning-rate schedule after warm-up'),
    warmupSteps: nonNegativeInt().default(0).describe('Optimiser updates of linear learning-rate warm-up'),
    gradientCheckpointing: z.boolean().default(false).describe('Recompute activations in the backward pass to save memory'),
    saveSteps: nonNegativeInt().default(500).describe('Save a checkpoint every N optimiser updates; 0 disables'),
    saveEveryEpochs: nonNegativeInt().default(1).describe('Save a checkpoint every N epochs; 0 disables'),
    saveEveryBatches: nonNegativeInt().default(0).describe('Save a checkpoint every N batches; 0 disables'),
    saveTotalLimit: nonNegativeInt().default(3).describe('Keep at most this many checkpoints (oldest deleted first); 0 keeps all'),
    outputDir: z.string().min(1).default('./runs/rlaif').describe('Run directory for checkpoints, logs and datasets (relative to the config file)'),
    datasetsDir: z
      .string()
      .min(1)
      .default('datasets')
      .refine((dir) => !/^([\\/]|[A-Za-z]:)/.test(dir) && !dir.split(/[\\/]/).includes('..'), 'must be a folder inside the run directory (relative, no ".."): checkpoints record and resume the dataset files by run-relative path')
      .describe("Folder of the recorded datasets ({train,validation,evaluation}.jsonl and the card), relative to training.outputDir (the reference system's dataset_output_dir)"),
    seed: nonNegativeInt().default(42).describe('Seed of shuffling, sampling and initialisation'),
    sft: sftSchema,
  })
  .prefault({})
  .describe('The optimisation loop');

const rlaifSchema = z
  .strictObject({
    numSamplesPerPrompt: positiveInt()
      .default(4)
      .describe("Completions sampled per prompt (the group size). The reference uses 2; with 2, group-normalised advantages are only ±1 or 0, so rlaif starts at 4"),
    evalSamplesPerPrompt: positiveInt()
      .optional()
      .describe('Completions sampled per eval task (held-out evaluations, baseline); default numSamplesPerPrompt'),
    temperature: z.number().min(0).default(0.8).describe('Sampling temperature of the rollouts; 0 = greedy'),
    evalTemperature: z
      .number()
      .min(0)
      .optional()
      .describe('Sampling temperature of evaluations (held-out, baseline, rlaif validate); default temperature. Rollouts may explore above the temperature the model is judged at'),
    topP: z.number().gt(0).max(1).default(0.95).describe('Nucleus sampling mass in (0, 1]; 1 disables'),
    topK: nonNegativeInt().default(0).describe('Keep only the k most likely tokens; 0 disables'),
    minP: z.number().min(0).max(1).default(0).describe('Drop tokens below minP × the top probability; 0 disables'),
    maxNewTokens: positiveInt()
      .default(512)
      .describe("Upper bound on completion tokens. The reference uses 64 for speed; a complete function with its documentation rarely fits in 64, and a cut-off program fails the exec teacher's tests"),
    stop: z.array(z.string().min(1)).default([]).describe('Strings that end a completion'),
    advantage: z
      .enum(['grpo', 'none', 'rloo', 'dr_grpo'])
      .default('grpo')
      .describe('Advantage estimator: grpo (group-normalised), rloo, dr_grpo, or none (raw reward)'),
    klPenalty: z.number().min(0).default(0.05).describe('β of the KL penalty to the base model; 0 disables'),
    klEstimator: z.enum(['k1', 'k3']).default('k3').describe('KL estimator: k1 = log ratio, k3 = unbiased non-negative'),
    aggregation: z.enum(['token', 'sequence']).default('token').describe('Average the loss over all tokens, or per sequence then over sequences'),
    clipRange: z.number().min(0).default(0.2).describe('PPO ratio clip ε'),
    ppoEpochs: positiveInt().default(1).describe('Gradient passes over each batch of rollouts'),
    importanceSamplingCap: z
      .number()
      .min(0)
      .optional()
      .describe(
        "Truncated importance sampling: weight each token by min(π_trainer / π_sampler, cap), correcting the sampling engine's log-probs; 0 = off; default 2 with a generator key, else off",
      ),
    offPolicyLag: nonNegativeInt().default(1).describe('Batches generated ahead while the previous one is scored; 0 = strictly on-policy'),
    teacherConcurrency: positiveInt().default(4).describe('Teacher calls in flight at once'),
    dropZeroVarianceGroups: z.boolean().default(false).describe('Skip groups whose rewards are all equal (they carry no gradient under grpo)'),
    rewardEpsilon: z.number().gt(0).default(1e-6).describe('ε in the ratio reward student / (teacher + ε)'),
  })
  .prefault({})
  .describe('Sampling, rewards and the policy-gradient objective');

const loggingSchema = z
  .strictObject({
    level: z.enum(['error', 'warn', 'info', 'debug']).default('info').describe('Console and log-file verbosity'),
    logFile: z.boolean().default(true).describe('Also write logs to <outputDir>/logs/'),
    progress: z.enum(['auto', 'bar', 'plain', 'none']).default('auto').describe('Progress display: auto = bar on a TTY, plain lines otherwise'),
    healthCheck: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Run memory and throughput health checks during training'),
        intervalBatches: positiveInt().default(5).describe('Batches between health checks'),
        releaseCacheGrowthGB: z
          .number()
          .gt(0)
          .default(1)
          .describe("Release the engine's cache (and collect garbage) when its memory has grown this many GB since the last release"),
        releaseCacheAboveGB: z
          .number()
          .gt(0)
          .default(4)
          .describe("Release the engine's cache when it holds more than this many GB (Metal; a fragmentation proxy)"),
      })
      .prefault({})
      .describe('Periodic health checks'),
    baselineEvalBatches: nonNegativeInt().default(1).describe('Batches scored before training to measure the baseline reward; 0 skips'),
    evalBeforeTraining: z.boolean().default(false).describe('Also score the eval tasks before any training, for the before/after table of the summary'),
    systemMetricsIntervalSeconds: z.number().min(0).default(5).describe('Seconds between system metric samples; 0 disables'),
    sampleTextEverySteps: nonNegativeInt().default(10).describe('Log a sample completion every N steps; 0 disables'),
    gpuUtilizationMode: z
      .enum(['memory_proxy', 'powermetrics'])
      .default('memory_proxy')
      .describe("Apple Silicon System/GPU_Utilization: memory_proxy = GPU memory in use (a rough signal), powermetrics = measured active residency (needs root); NVIDIA GPUs are measured by nvidia-smi"),
  })
  .prefault({})
  .describe('Logging and monitoring');

const huggingfaceSchema = z
  .strictObject({
    pushModel: z
      .union([z.enum(['adapter', 'merged', 'gguf']), z.boolean()])
      .default(false)
      // The reference system's `push_to_hub: true` uploaded the adapter.
      .transform((value) => (value === true ? ('adapter' as const) : value))
      .describe("Upload the final model to huggingface.repoId after the run: adapter (PEFT), merged (transformers weights), gguf (llama.cpp), or false"),
    pushDataset: z.boolean().default(false).describe('Upload the recorded datasets and their card to huggingface.datasetRepoId after the run'),
    repoId: z.string().min(1).optional().describe('Hub repository for the model (user/name)'),
    datasetRepoId: z.string().min(1).optional().describe('Hub repository for the datasets (user/name)'),
    private: z.boolean().default(true).describe('Create hub repositories as private'),
    pushEveryCheckpoint: z.boolean().default(false).describe('Also upload each checkpoint as it is saved (the adapter, to a checkpoint-… folder of huggingface.repoId)'),
  })
  .prefault({})
  .describe('Hugging Face hub uploads (token from HF_TOKEN or `huggingface-cli login`, endpoint from HF_ENDPOINT)');

/** The schema before cross-field checks; its shape is what key suggestions are drawn from. */
export const rlaifConfigObjectSchema = z.strictObject({
  model: modelSchema,
  backend: pluginRefSchema.default('@rlaif/backend-mlx').describe("Engine plugin serving the student, e.g. '@rlaif/backend-mlx'"),
  generator: pluginRefSchema
    .optional()
    .describe("Sample on another engine while the backend trains, e.g. '@rlaif/generator-llamacpp'; absent = the backend's own Generator"),
  teacher: pluginRefSchema
    .optional()
    .describe('Teacher plugin; default from the environment: Anthropic, OpenAI or Gemini key, else the offline exec teacher'),
  rewards: z
    .array(rewardItemSchema)
    .optional()
    .describe('Reward functions with weights; default the ratio reward student / (teacher + ε), plus pass_rate when some training tasks have no reference'),
  data: dataSchema,
  training: trainingSchema,
  rlaif: rlaifSchema,
  sinks: z
    .array(pluginRefSchema)
    .default(['@rlaif/sink-tensorboard', '@rlaif/sink-jsonl'])
    .describe('Metrics sinks (the console sink is always on)'),
  logging: loggingSchema,
  huggingface: huggingfaceSchema,
});

/** The full schema: field checks, then checks across fields (each with how to fix it). */
export const rlaifConfigSchema = rlaifConfigObjectSchema.check(crossFieldErrors);

/** A validated config with every default filled in. */
export type RlaifConfig = z.output<typeof rlaifConfigObjectSchema>;

/** One reward as written by the user: a bare PluginRef or `{ fn, weight? }`. */
export type RewardConfigInput = PluginRef | { fn: PluginRef; weight?: number };

/** What a user writes: every field optional, plugins as objects or refs. */
export type RlaifConfigInput = Omit<z.input<typeof rlaifConfigObjectSchema>, 'rewards'> & {
  rewards?: RewardConfigInput[];
};
