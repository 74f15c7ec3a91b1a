import { describeGeneratorConformance } from '@rlaif/core/testing';
import { afterAll } from 'vitest';
import { boundVllm } from './bound.js';
import { startFakeVllm } from './fake-vllm-server.js';

const server = await startFakeVllm();
afterAll(() => server.close());

describeGeneratorConformance('vllm', { makeGenerator: () => boundVllm({ baseURLs: [server.url] }), capabilities: { deterministic: true } });
