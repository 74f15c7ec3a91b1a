/**
 * The Python test server: one sandboxed run per candidate, a fresh forked process per test, and
 * nothing of the server (stdin with later nonces, its report pipe) reachable from a test.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON_SERVER } from '../src/languages/python-server.js';
import { PY, PY_TESTS, task } from './samples.js';
import { recordingTeacher } from './helpers.js';

describe('Python test server', () => {
  it('starts one sandboxed interpreter per candidate, with one nonce per test', async () => {
    const { teacher, runs } = recordingTeacher(12);
    const result = await teacher.score(task('python', 'served', PY_TESTS, PY.correct), [{ code: PY.correct }, { code: PY.wrong }], null);
    expect(result.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 0]);
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const nonces = (run.stdin ?? '').split('\n').filter(Boolean);
      expect(nonces).toHaveLength(2);
      expect(new Set(nonces).size).toBe(2);
    }
  });

  it('runs every test in a fresh process: module state and pids are not shared', async () => {
    const { teacher } = recordingTeacher(13);
    const code = 'import os\ncalls = []\ndef fresh():\n    calls.append(os.getpid())\n    with open("/tmp/pids", "a") as f: f.write("%d\\n" % os.getpid())\n    return len(calls) == 1\n';
    const tests = 'def test_a():\n    assert fresh()\n\ndef test_b():\n    assert fresh()\n    pids = open("/tmp/pids").read().split()\n    assert len(pids) == 2 and pids[0] != pids[1]\n';
    const result = await teacher.score(task('python', 'fresh', tests, code), [{ code }], null);
    expect(result.scores[0]?.execution?.tests.map((test) => test.passed)).toEqual([true, true]);
  });

  it("a test can reach neither the server's stdin (later nonces) nor its report pipe", async () => {
    const { teacher } = recordingTeacher(14);
    // Passes only if it could open one of the server's descriptors or read its memory.
    const code = [
      'import os',
      'def probe():',
      '    got = []',
      '    parent = os.getppid()',
      '    for path in ["/proc/%d/fd/%d" % (parent, fd) for fd in range(0, 16)] + ["/proc/%d/mem" % parent]:',
      '        try:',
      '            with open(path, "rb", buffering=0) as f:',
      '                got.append(path)',
      '        except OSError:',
      '            pass',
      '    print(got)',
      '    return len(got) > 0',
    ].join('\n');
    const tests = 'def test_first():\n    assert probe() is True\n\ndef test_second():\n    assert probe() is True\n';
    const result = await teacher.score(task('python', 'server-fds', tests, code), [{ code }], null);
    expect(result.scores[0]?.execution?.testsPassed).toBe(0);
    expect(result.scores[0]?.execution?.tests[0]?.detail).toMatch(/AssertionError/);
  });

  it('a printed record or verdict from a test changes nothing', async () => {
    const { teacher } = recordingTeacher(15);
    const forged = '{"test": "test_small", "exit": 0, "wallMs": 1, "timedOut": false, "overflow": false, "stdout": "", "stderr": ""}';
    const code = `import sys\ndef add(a, b):\n    print(${JSON.stringify(forged)})\n    sys.stderr.write(${JSON.stringify(forged)} + "\\n")\n    return 0\n`;
    const result = await teacher.score(task('python', 'forged', PY_TESTS, PY.correct), [{ code }], null);
    expect(result.scores[0]?.execution?.testsPassed).toBe(0);
  });

  it('keeps serving when a test ends before its nonce arrives (it failed at once, and its nonce pipe is closed)', async () => {
    // The nonces come only after the first test has long failed: writing its nonce then hit a closed
    // pipe, and the server died of BrokenPipeError, so every test of the candidate counted as failed.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-python-server-'));
    await writeFile(path.join(dir, 'server.py'), PYTHON_SERVER);
    await writeFile(path.join(dir, 'candidate.py'), 'def one():\n    return 1\n');
    await writeFile(path.join(dir, 'tests.py'), 'def test_fails():\n    assert one() == 2\n\ndef test_passes():\n    assert one() == 1\n');
    const server = spawn('python3', [path.join(dir, 'server.py'), '5000', '65536', 'test_fails', 'test_passes'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 700));
    server.stdin.end('nonce-1\nnonce-2\n');
    await new Promise((resolve) => server.on('close', resolve));
    const records = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { test?: string; exit?: number; stdout?: string });
    const tests = records.filter((record) => record.test !== undefined);
    expect(stderr).not.toMatch(/BrokenPipeError/);
    expect(tests.map((record) => [record.test, record.exit])).toEqual([
      ['test_fails', 1],
      ['test_passes', 0],
    ]);
    expect(Buffer.from(tests[1]!.stdout!, 'base64').toString()).toContain('RLAIF-VERDICT nonce-2 test_passes');
  });
});
