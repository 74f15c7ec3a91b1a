import { describeMetricsSinkConformance } from '@rlaif/core/testing';
import { tensorboard } from '../src/index.js';

describeMetricsSinkConformance('tensorboard', { makeSink: () => tensorboard({ flushIntervalMs: 0 }) });
