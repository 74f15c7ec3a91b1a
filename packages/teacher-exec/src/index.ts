/**
 * @rlaif/teacher-exec: the offline teacher. `exec()` scores Python, C++ and Rust by running the
 * task's tests in a bubblewrap sandbox; `hybrid()` takes correctness from it and the rest from a judge.
 */
import { exec } from './exec-teacher.js';

export { exec } from './exec-teacher.js';
export type { ExecTeacher, ExecTeacherSettings } from './exec-teacher.js';
export { hybrid } from './hybrid-teacher.js';
export type { HybridTeacherSettings } from './hybrid-teacher.js';
export { createSandbox, describeIsolation } from './sandbox/bwrap.js';
export type { CreateSandboxOptions, IsolationReport, Sandbox, SandboxLimits, SandboxMount, SandboxRunResult, SandboxRunSpec } from './sandbox/bwrap.js';
export { DEFAULT_WEIGHTS, WARNING_PENALTY } from './scoring/rubric.js';
export type { RubricWeights } from './scoring/rubric.js';
export type { ToolchainPaths } from './toolchains.js';

export default exec;
