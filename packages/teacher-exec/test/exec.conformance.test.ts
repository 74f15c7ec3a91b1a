/** The exec and hybrid teachers against core's Teacher conformance suite. */
import { describeTeacherConformance } from '@rlaif/core/testing';
import { exec, hybrid } from '../src/index.js';
import { uidBaseFor } from './helpers.js';

describeTeacherConformance('exec', { makeTeacher: () => exec({ uidBase: uidBaseFor(5), concurrency: 2 }), capabilities: { discriminates: true, scoresWithoutReference: true } });

describeTeacherConformance('hybrid (exec judged by exec)', {
  makeTeacher: () => hybrid({ execution: exec({ uidBase: uidBaseFor(6), concurrency: 2 }), judge: exec({ uidBase: uidBaseFor(7), concurrency: 2 }) }),
  capabilities: { discriminates: true, scoresWithoutReference: true },
});
