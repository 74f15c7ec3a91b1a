import { afterAll } from 'vitest';
import { describeTeacherConformance } from '@rlaif/core/testing';
import { anthropic } from '../src/index.js';
import { startFakeAnthropic } from './fake-anthropic-server.js';

const server = await startFakeAnthropic();
afterAll(() => server.close());

describeTeacherConformance('anthropic (local fake server)', {
  makeTeacher: () => anthropic({ model: 'claude-sonnet-4-6', apiKey: 'sk-ant-test', baseURL: server.url }),
  goodCode: 'def add(a, b):\n    """good: the sum."""\n    return a + b\n',
  capabilities: { discriminates: true, writesReferences: true },
});
