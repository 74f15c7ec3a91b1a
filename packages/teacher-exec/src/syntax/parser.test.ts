import { beforeEach, describe, expect, it, vi } from 'vitest';

// web-tree-sitter fails when two grammars link at once (see parser.ts); record how many loads overlap.
const loads = vi.hoisted(() => ({ inFlight: 0, maxInFlight: 0, files: [] as string[], failNext: false }));

vi.mock('web-tree-sitter', () => {
  class Parser {
    static async init(): Promise<void> {}
    setLanguage(): void {}
    parse(): object {
      return { rootNode: {}, delete() {} };
    }
    delete(): void {}
  }
  const Language = {
    async load(file: string): Promise<object> {
      loads.inFlight++;
      loads.maxInFlight = Math.max(loads.maxInFlight, loads.inFlight);
      loads.files.push(file);
      await new Promise((resolve) => setTimeout(resolve, 5));
      loads.inFlight--;
      if (loads.failNext) {
        loads.failNext = false;
        throw new Error("bad export type for 'tree_sitter_rust_external_scanner_create': undefined");
      }
      return { file };
    },
  };
  return { Parser, Language };
});

describe('tree-sitter grammars', () => {
  beforeEach(() => {
    vi.resetModules();
    Object.assign(loads, { inFlight: 0, maxInFlight: 0, files: [], failNext: false });
  });

  it('load one at a time when several languages are parsed at once, each once', async () => {
    const { parse } = await import('./parser.js');
    await Promise.all([parse('cpp', 'int f();'), parse('python', 'x = 1'), parse('rust', 'fn f() {}'), parse('cpp', 'int g();'), parse('python', 'y = 2')]);
    expect(loads.maxInFlight).toBe(1);
    expect(loads.files.map((f) => f.split('/').at(-1))).toEqual(['tree-sitter-cpp.wasm', 'tree-sitter-python.wasm', 'tree-sitter-rust.wasm']);
  });

  it('retries a grammar whose load failed, and a failure does not stop the others loading', async () => {
    const { parse } = await import('./parser.js');
    loads.failNext = true;
    const [cpp, python] = await Promise.allSettled([parse('cpp', 'int f();'), parse('python', 'x = 1')]);
    expect(cpp.status).toBe('rejected');
    expect((cpp as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringContaining("could not load the tree-sitter grammar for cpp: bad export type") as unknown });
    expect(python.status).toBe('fulfilled');
    await expect(parse('cpp', 'int f();')).resolves.toBeDefined();
    expect(loads.files.filter((f) => f.endsWith('tree-sitter-cpp.wasm'))).toHaveLength(2);
  });
});
