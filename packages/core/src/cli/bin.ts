#!/usr/bin/env node
// The `rlaif` executable: runs the CLI and exits with its documented code. The CLI itself is imported
// only once the allocator is settled, so a relaunching parent loads nothing else.
import { relaunchWithAllocatorTuning } from './allocator-tuning.js';

const relaunchedExitCode = await relaunchWithAllocatorTuning();
if (relaunchedExitCode !== undefined) {
  process.exitCode = relaunchedExitCode;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
}
