import { afterAll } from 'vitest';
import { describeTeacherConformance } from '@rlaif/core/testing';
import { openai } from '../src/index.js';
import { startFakeOpenAI } from './fake-openai-server.js';

const server = await startFakeOpenAI();
afterAll(() => server.close());

describeTeacherConformance('openai (local fake server)', {
  makeTeacher: () => openai({ model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: server.url }),
  goodCode: 'def add(a, b):\n    """good: the sum."""\n    return a + b\n',
  capabilities: { discriminates: true, writesReferences: true },
});
