/**
 * An experiment variant of the quickstart config: the quickstart's own settings with overrides
 * deep-merged from the RLAIF_EXPERIMENT environment variable (JSON), output under runs/<name>.
 *
 *   RLAIF_EXPERIMENT='{"name":"lr1e-2","training":{"learningRate":1e-2}}' \
 *     node packages/core/dist/cli/bin.js run examples/quickstart/experiments/experiment.config.ts --overwrite
 */
import base from '../rlaif.config.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `target` with `patch` merged in; arrays and scalars in `patch` replace what `target` holds. */
function merge(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? merge(current, value) : value;
  }
  return out;
}

const { name = 'experiment', ...overrides } = JSON.parse(process.env.RLAIF_EXPERIMENT ?? '{}') as Json & { name?: string };
const baseConfig = base as unknown as Json;
const model = baseConfig.model as Json;
const data = baseConfig.data as Json;

// Paths in a config are relative to its file, and this one lives a folder below the quickstart's.
const relocated = merge(baseConfig, {
  model: { name: `../${String(model.name).replace(/^\.\//, '')}` },
  data: { trainFile: `../${String(data.trainFile).replace(/^\.\//, '')}`, evalFile: `../${String(data.evalFile).replace(/^\.\//, '')}` },
  training: { outputDir: `../runs/${name}` },
});

export default merge(relocated, overrides);
