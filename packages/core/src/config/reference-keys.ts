/**
 * Every config.yaml key the reference system's README documents (training, rlaif, model, hardware,
 * logging, huggingface sections), with its rlaif equivalent or why there is none. Keys it does not
 * document are translated by name (snake_case → camelCase) when rlaif has that key in that section.
 */

/** One documented key: where it goes in rlaif's config (and how its value changes), or why it goes nowhere. */
export type ReferenceKeyRule =
  | { readonly to: string; readonly value?: (value: unknown, section: Readonly<Record<string, unknown>>) => unknown }
  | { readonly none: string };

/** `section.key` of the reference's config.yaml → rule. */
export const REFERENCE_KEYS: Readonly<Record<string, ReferenceKeyRule>> = {
  // training
  'training.batch_size': { to: 'training.batchSize' },
  'training.gradient_accumulation_steps': { to: 'training.gradientAccumulationSteps' },
  'training.save_steps': { to: 'training.saveSteps' },
  'training.save_every_epochs': { to: 'training.saveEveryEpochs' },
  'training.save_every_batches': { to: 'training.saveEveryBatches' },
  'training.save_total_limit': { to: 'training.saveTotalLimit' },
  // rlaif
  'rlaif.num_samples_per_prompt': { to: 'rlaif.numSamplesPerPrompt' },
  'rlaif.kl_penalty': { to: 'rlaif.klPenalty' },
  'rlaif.max_new_tokens': { to: 'rlaif.maxNewTokens' },
  // model
  'model.max_length': { to: 'model.maxLength' },
  'model.use_4bit': { to: 'model.quantization', value: (v) => (v === true ? '4bit' : 'none') },
  // hardware: rlaif samples and trains on one engine in one process, sharing the weights.
  'hardware.dataloader_num_workers': { none: 'rlaif reads the tasks once into memory; there are no data-loader worker processes' },
  'hardware.use_mlx_for_generation': {
    none: 'the MLX backend (@rlaif/backend-mlx, the default `backend`) both samples and trains on the same weights: generation is always MLX',
  },
  'hardware.mlx_model_path': { none: 'there is no separate MLX copy for generation: the backend loads model.name (a Hugging Face folder or hub id) directly' },
  'hardware.mlx_quantization': {
    none: 'generation and training share one set of weights; to quantise them (QLoRA) set model.quantization to 4bit or 8bit',
  },
  'hardware.reload_mlx_from_latest_checkpoint': { none: 'generation always uses the weights of the latest update (same process): nothing to reload' },
  'hardware.use_mlx_generation_worker': { none: 'there is no second runtime whose allocator could fight MLX: generation runs in the training process' },
  'hardware.mlx_generation_worker_timeout_s': { none: 'there is no generation worker process (see hardware.use_mlx_generation_worker)' },
  // logging
  'logging.save_json_summaries': { to: 'sinks', value: (_, section) => summarySinks(section) },
  'logging.json_summaries_dir': { to: 'sinks', value: (_, section) => summarySinks(section) },
  'logging.baseline_eval_batches': { to: 'logging.baselineEvalBatches' },
  'logging.health_check_enabled': { to: 'logging.healthCheck.enabled' },
  'logging.health_check_interval_batches': { to: 'logging.healthCheck.intervalBatches' },
  'logging.gpu_utilization_mode': { to: 'logging.gpuUtilizationMode' },
  // huggingface
  'huggingface.upload_to_hub': { to: 'huggingface.pushModel' },
  'huggingface.repo_id': { to: 'huggingface.repoId' },
  'huggingface.hf_token_env': { none: 'rlaif reads the token from HF_TOKEN (the Hugging Face libraries’ own variable)' },
  'huggingface.upload_quantized': { none: 'rlaif checkpoints hold LoRA adapters in PEFT layout; make a quantised file with `rlaif export --format gguf`' },
  'huggingface.private': { to: 'huggingface.private' },
  'huggingface.upload_datasets': { to: 'huggingface.pushDataset' },
  'huggingface.dataset_repo_id': { to: 'huggingface.datasetRepoId' },
  'huggingface.save_datasets_locally': { none: 'rlaif always records the datasets (training.datasetsDir); delete the folder after the run if you do not want them' },
  'huggingface.dataset_output_dir': { to: 'training.datasetsDir' },
};


/** The sinks the reference's two JSON-summary keys ask for (TensorBoard is always on there). */
function summarySinks(logging: Readonly<Record<string, unknown>>): unknown[] {
  if (logging['save_json_summaries'] === false) return ['@rlaif/sink-tensorboard'];
  const dir = logging['json_summaries_dir'];
  return ['@rlaif/sink-tensorboard', typeof dir === 'string' ? { use: '@rlaif/sink-jsonl', dir } : '@rlaif/sink-jsonl'];
}
