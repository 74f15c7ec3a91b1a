import { describeMetricsSinkConformance } from '@rlaif/core/testing';
import { jsonl } from '../src/index.js';

describeMetricsSinkConformance('jsonl', { makeSink: () => jsonl({ scalars: true }) });
