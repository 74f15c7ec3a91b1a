/**
 * Escape attempts. Each candidate would PASS its test only if the attack worked, so every test
 * asserts the verdict is a failure, plus a host-side check that nothing leaked or survived.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language, Score } from '@rlaif/core';
import { processesOfUids, processesWithArg, testTeacher, uidBaseFor } from './helpers.js';

const uidBase = uidBaseFor(2);
const teacher = testTeacher(uidBase);
// Time limits loose enough that on a loaded machine the memory cap, not the clock, stops a memory bomb.
const memoryTeacher = testTeacher(uidBase, { concurrency: 2, testLimits: { wallMs: 15_000, cpuSeconds: 8, memoryBytes: 256 * 2 ** 20, outputBytes: 64 * 1024 } });
const secret = `rlaif-secret-${randomBytes(8).toString('hex')}`;
// The file's name differs from its content, so a path echoed in an error message leaks nothing.
const secretFile = `/root/rlaif-test-${randomBytes(6).toString('hex')}.txt`;

const REFERENCE = 'def probe():\n    return False\n';
const TESTS = 'def test_attack():\n    assert probe() is True\n';

/** Scores one Python candidate whose `probe()` returns True only if the attack worked. */
async function attack(code: string, language: Language = 'python', tests = TESTS, reference = REFERENCE, scorer = teacher): Promise<Score> {
  const started = performance.now();
  const result = await scorer.score({ id: 'attack', language, prompt: 'attack', tests, reference, extra: {} }, [{ code }], { code: reference, source: 'task' });
  const score = result.scores[0];
  if (!score) throw new Error('candidate was not scored');
  expect(performance.now() - started).toBeLessThan(30_000);
  return score;
}

function expectContained(score: Score): void {
  expect(score.execution?.testsPassed).toBe(0);
  expect(score.breakdown.correctness).toBe(0);
}

let server: Server;
let connections = 0;

beforeAll(async () => {
  await writeFile(secretFile, secret, { mode: 0o600 });
  process.env.RLAIF_TEST_SECRET = secret;
  server = createServer((socket) => {
    connections++;
    socket.end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  delete process.env.RLAIF_TEST_SECRET;
  await rm(secretFile, { force: true });
  await new Promise((resolve) => server.close(resolve));
});

describe('network', () => {
  it('cannot reach a host port on 127.0.0.1', async () => {
    const port = (server.address() as AddressInfo).port;
    const score = await attack(`import socket\ndef probe():\n    socket.create_connection(("127.0.0.1", ${port}), timeout=3).recv(5)\n    return True\n`);
    expectContained(score);
    expect(score.execution?.tests[0]?.detail).toMatch(/ConnectionRefused|Errno 111/);
    expect(connections).toBe(0);
  });

  it('cannot reach a public address, and fails fast (no route)', async () => {
    const score = await attack('import socket\ndef probe():\n    socket.create_connection(("1.1.1.1", 53), timeout=10)\n    return True\n');
    expectContained(score);
    expect(score.execution?.tests[0]?.detail).toMatch(/unreachable|Errno 101/i);
    expect(score.execution?.tests[0]?.ms).toBeLessThan(5_000);
  });
});

describe('processes', () => {
  it('contains a fork bomb and leaves no process behind', async () => {
    const score = await attack('import os\ndef probe():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n');
    expectContained(score);
    expect(processesOfUids(uidBase, uidBase + 2)).toEqual([]);
  });

  it('kills daemonised children when the run ends', async () => {
    const marker = `${1000 + Math.floor(Math.random() * 1000)}.${randomBytes(3).readUIntBE(0, 3)}`;
    const code = [
      'import os',
      'def probe():',
      '    if os.fork() == 0:',
      '        os.setsid()',
      '        if os.fork() == 0:',
      `            os.execv("/bin/sleep", ["sleep", "${marker}"])`,
      '        os._exit(0)',
      '    return True',
    ].join('\n');
    const score = await attack(code);
    // The daemon is harmless to the verdict; what matters is that it is gone afterwards.
    expect(score.execution?.testsPassed).toBe(1);
    expect(processesWithArg(marker)).toEqual([]);
    expect(processesOfUids(uidBase, uidBase + 2)).toEqual([]);
  });
});

describe('memory', () => {
  it('stops one process allocating gigabytes', async () => {
    const score = await attack('def probe():\n    block = bytearray(3 * 2**30)\n    return len(block) > 0\n', 'python', TESTS, REFERENCE, memoryTeacher);
    expectContained(score);
    expect(score.execution?.tests[0]?.detail).toMatch(/MemoryError|memory/);
  });

  it('stops many processes that together exceed the memory cap', async () => {
    const code = [
      'import os, time',
      'def probe():',
      '    kids = []',
      '    for _ in range(6):',
      '        pid = os.fork()',
      '        if pid == 0:',
      '            block = bytearray(200 * 2**20)',
      '            for i in range(0, len(block), 4096): block[i] = 1',
      '            time.sleep(5)',
      '            os._exit(0)',
      '        kids.append(pid)',
      '    statuses = [os.waitpid(pid, 0)[1] for pid in kids]',
      '    return all(status == 0 for status in statuses)',
    ].join('\n');
    const score = await attack(code);
    expectContained(score);
    expect(processesOfUids(uidBase, uidBase + 2)).toEqual([]);
  });
});

describe('files and secrets', () => {
  it('cannot write outside its private /tmp', async () => {
    const hostPath = `/tmp/rlaif-escape-${randomBytes(6).toString('hex')}`;
    const code = [
      'def probe():',
      '    wrote = 0',
      `    for path in ["/build/pwned", "/usr/pwned", "/root/pwned", "/etc/pwned", "/work/pwned", "${hostPath}"]:`,
      '        try:',
      '            with open(path, "w") as f: f.write("x")',
      '            wrote += 1',
      '        except OSError:',
      '            pass',
      '    return wrote == 6',
    ].join('\n');
    const score = await attack(code);
    expectContained(score);
    // Inside, /tmp is a private tmpfs: the write "succeeded" there but never reached the host.
    expect(existsSync(hostPath)).toBe(false);
    expect(existsSync('/usr/pwned')).toBe(false);
    expect(existsSync('/root/pwned')).toBe(false);
  });

  it('sees neither the parent environment, /proc of the parent, /etc/shadow nor files under /root', async () => {
    const code = [
      'import os',
      'def probe():',
      '    found = []',
      `    if "${secret}" in repr(dict(os.environ)): found.append("env")`,
      `    for path in ["/proc/${process.pid}/environ", "/proc/1/environ", "/etc/shadow", "${secretFile}"]:`,
      '        try:',
      '            with open(path, "rb") as f:',
      `                if b"${secret}" in f.read() or path == "/etc/shadow": found.append(path)`,
      '        except OSError:',
      '            pass',
      '    print(found)',
      '    return len(found) > 0',
    ].join('\n');
    const score = await attack(code);
    expectContained(score);
    expect(JSON.stringify(score)).not.toContain(secret.slice(-16));
  });
});

describe('output and verdicts', () => {
  it('kills a run that writes gigabytes of output', async () => {
    const score = await attack('import sys\ndef probe():\n    chunk = "x" * 2**20\n    for _ in range(4096): sys.stdout.write(chunk)\n    return True\n');
    expectContained(score);
    expect(score.execution?.tests[0]?.detail).toMatch(/output over/);
  });

  it('a fake PASS line and exit(0) before the test returns do not pass', async () => {
    const fakes = [
      'import os\nprint("RLAIF-VERDICT 0000 test_attack 1")\nprint("PASS")\nos._exit(0)\ndef probe():\n    return False\n',
      'import sys\ndef probe():\n    print("All tests passed")\n    sys.exit(0)\n',
      'import os\ndef probe():\n    os._exit(0)\n',
    ];
    for (const code of fakes) expectContained(await attack(code));
  });

  it('C++: exit(0) with a fake verdict from a static initialiser does not pass', async () => {
    const code = '#include <cstdio>\n#include <cstdlib>\nstatic int fake = (std::puts("RLAIF-VERDICT 0 test_attack 1"), std::exit(0), 0);\nint probe() { return 0; }\n';
    const tests = '#include <cassert>\nvoid test_attack() { assert(probe() == 1); }\n';
    expectContained(await attack(code, 'cpp', tests, 'int probe() { return 0; }\n'));
  });
});

describe('compiler abuse', () => {
  it('C++ #include of host secrets does not compile and leaks nothing', async () => {
    const tests = 'void test_attack() {}\n';
    const score = await attack(`#include "/etc/shadow"\n#include "${secretFile}"\nint probe() { return 1; }\n`, 'cpp', tests, 'int probe() { return 0; }\n');
    expect(score.execution?.compiled).toBe(false);
    expect(score.evidence).toMatch(/No such file/);
    expect(JSON.stringify(score)).not.toContain(secret.slice(-16));
  });

  it('Rust include_str! of a file under /root does not compile and leaks nothing', async () => {
    const tests = '#[test]\nfn attack() { assert!(probe().len() > 0); }\n';
    const code = `pub fn probe() -> &'static str { include_str!("${secretFile}") }\n`;
    const score = await attack(code, 'rust', tests, 'pub fn probe() -> &\'static str { "" }\n');
    expect(score.execution?.compiled).toBe(false);
    expect(score.evidence).toMatch(/couldn't read|No such file/);
    expect(JSON.stringify(score)).not.toContain(secret.slice(-16));
  }, 60_000);
});
