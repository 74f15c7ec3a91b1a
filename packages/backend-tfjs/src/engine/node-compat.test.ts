import util from 'node:util';
import { describe, expect, it } from 'vitest';
import { restoreIsNullOrUndefined, type UtilWithNullCheck } from './node-compat.js';

describe('Node ≥ 23 compatibility of tfjs-node 4.22', () => {
  it('adds util.isNullOrUndefined where Node removed it, with the old semantics', () => {
    const removed: UtilWithNullCheck = {};
    expect(restoreIsNullOrUndefined(removed)).toBe(true);
    expect([null, undefined, 0, '', false, Number.NaN].map((v) => removed.isNullOrUndefined!(v))).toEqual([true, true, false, false, false, false]);
  });

  it('leaves an existing implementation alone', () => {
    const own = () => false;
    const present: UtilWithNullCheck = { isNullOrUndefined: own };
    expect(restoreIsNullOrUndefined(present)).toBe(false);
    expect(present.isNullOrUndefined).toBe(own);
  });

  it('tfjs-node needs it, and runs again once it is restored (Node 23 simulated by deleting it)', async () => {
    const { tf } = await import('./tf.js');
    expect(tf.getBackend()).toBe('tensorflow');
    const nodeUtil = util as UtilWithNullCheck;
    const original = nodeUtil.isNullOrUndefined;
    // tf.concat on the node backend checks its inputs with util.isNullOrUndefined (nodejs_kernel_backend).
    const concat = () => tf.tidy(() => tf.concat([tf.tensor1d([1]), tf.tensor1d([2])]).arraySync());
    try {
      delete nodeUtil.isNullOrUndefined;
      expect(concat).toThrow(/isNullOrUndefined/);
      expect(restoreIsNullOrUndefined(nodeUtil)).toBe(true);
      expect(concat()).toEqual([1, 2]);
    } finally {
      nodeUtil.isNullOrUndefined = original;
    }
  });
});
