import { Writable } from 'node:stream';
import type { CliIO } from '../cli/command.js';

/** CliIO whose stdout and stderr are collected in memory, for testing `rlaif` commands in-process. */
export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { out(): string; err(): string } {
  const collector = () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => void (chunks.push(String(chunk)), done()) });
    return { stream, text: () => chunks.join('') };
  };
  const stdout = collector();
  const stderr = collector();
  return { stdout: stdout.stream, stderr: stderr.stream, cwd, env, out: stdout.text, err: stderr.text };
}
