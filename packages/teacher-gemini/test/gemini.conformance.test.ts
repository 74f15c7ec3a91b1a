import { afterAll } from 'vitest';
import { describeTeacherConformance } from '@rlaif/core/testing';
import { gemini } from '../src/index.js';
import { startFakeGemini } from './fake-gemini-server.js';

const server = await startFakeGemini();
afterAll(() => server.close());

describeTeacherConformance('gemini (local fake server)', {
  makeTeacher: () => gemini({ model: 'gemini-2.5-flash', apiKey: 'AIza-test-key', baseURL: server.url }),
  goodCode: 'def add(a, b):\n    """good: the sum."""\n    return a + b\n',
  capabilities: { discriminates: true, writesReferences: true },
});
