/**
 * The guard around node-llama-cpp's native context (src/llama-engine.ts): after each decode the first
 * sample runs alone, the others start once it is done; a context without the expected methods is refused.
 */
import type { LlamaContext } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { orderFirstSampleAfterDecode } from '../src/llama-engine.js';

/** A stand-in native context that records when each sample starts and lets the test finish them. */
function recordingNative() {
  const events: string[] = [];
  const pending = new Map<number, () => void>();
  const native = {
    decodeBatch: async () => {
      events.push('decode');
    },
    sampleToken: (index: number) => {
      events.push(`start ${index}`);
      return new Promise<number>((resolve) => pending.set(index, () => resolve(index)));
    },
  };
  const finish = async (index: number) => {
    pending.get(index)!();
    pending.delete(index);
    // Let the chained samples start.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { native, events, finish, context: { _ctx: native } as unknown as LlamaContext };
}

const turn = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('orderFirstSampleAfterDecode', () => {
  it('lets the first sample after a decode run alone and the rest start together when it is done', async () => {
    const { native, events, finish, context } = recordingNative();
    orderFirstSampleAfterDecode(context);
    await native.decodeBatch();
    const samples = [0, 1, 2].map((i) => native.sampleToken(i));
    await turn();
    expect(events).toEqual(['decode', 'start 0']);
    await finish(0);
    expect(events).toEqual(['decode', 'start 0', 'start 1', 'start 2']);
    await finish(1);
    await finish(2);
    await expect(Promise.all(samples)).resolves.toEqual([0, 1, 2]);

    // The next decode gates its first sample again.
    await native.decodeBatch();
    const next = [3, 4].map((i) => native.sampleToken(i));
    await turn();
    expect(events.slice(4)).toEqual(['decode', 'start 3']);
    await finish(3);
    expect(events.slice(4)).toEqual(['decode', 'start 3', 'start 4']);
    await finish(4);
    await Promise.all(next);
  });

  it('still starts the others when the first sample fails', async () => {
    const events: string[] = [];
    const native = {
      decodeBatch: async () => undefined,
      sampleToken: async (index: number) => {
        events.push(`start ${index}`);
        if (index === 0) throw new Error('no logits');
        return index;
      },
    };
    orderFirstSampleAfterDecode({ _ctx: native } as unknown as LlamaContext);
    await native.decodeBatch();
    const first = native.sampleToken(0);
    const second = native.sampleToken(1);
    await expect(first).rejects.toThrow('no logits');
    await expect(second).resolves.toBe(1);
    expect(events).toEqual(['start 0', 'start 1']);
  });

  it('refuses a node-llama-cpp whose native context is not the pinned one, naming the version to install', () => {
    expect(() => orderFirstSampleAfterDecode({} as unknown as LlamaContext)).toThrow(/native context is not the one/);
    expect(() => orderFirstSampleAfterDecode({ _ctx: { decodeBatch: () => undefined } } as unknown as LlamaContext)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('node-llama-cpp@3.21.1') }),
    );
  });
});
