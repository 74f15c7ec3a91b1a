/**
 * Conformance suites for every rlaif contract (`@rlaif/core/testing`). An implementation's test
 * file calls the suite with a factory and its capability flags; the suite registers Vitest tests.
 */
export { describeTeacherConformance, type TeacherConformanceOptions } from './teacher-conformance.js';
export { describeGeneratorConformance, type GeneratorConformanceOptions } from './generator-conformance.js';
export { describeOptimizerConformance, type OptimizerConformanceOptions } from './optimizer-conformance.js';
export { describeRewardFnConformance, type RewardFnConformanceOptions } from './reward-fn-conformance.js';
export { describeMetricsSinkConformance, type MetricsSinkConformanceOptions } from './metrics-sink-conformance.js';
export { expectValidScore, expectValidUsage } from './assertions.js';
export { sampleRollout, sampleTask, uniformScore } from './fixtures.js';
export { temporaryPluginContext } from './plugin-context.js';
export { captureIO } from './capture-io.js';
export { IMPORTANCE_SAMPLING_CASE, itMatchesTheImportanceSamplingCase, type ImportanceSamplingLossProbe } from './importance-sampling-case.js';
export { itDrawsEachSampleByItsPlace, type SampleDrawsProbe } from './sample-draws-case.js';
