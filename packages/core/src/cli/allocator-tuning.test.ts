import { describe, expect, it } from 'vitest';
import { planAllocatorTuning, TENSOR_MALLOC_TUNABLES } from './allocator-tuning.js';

describe('planAllocatorTuning', () => {
  it('relaunches on glibc with the tunables, remembering that GLIBC_TUNABLES was unset', () => {
    const plan = planAllocatorTuning({ PATH: '/bin' }, true);
    expect(plan).toEqual({
      action: 'relaunch',
      env: { PATH: '/bin', GLIBC_TUNABLES: TENSOR_MALLOC_TUNABLES, RLAIF_ORIGINAL_GLIBC_TUNABLES: 'null' },
    });
  });

  it('appends to non-malloc tunables the user set, and the relaunched process restores them', () => {
    const plan = planAllocatorTuning({ GLIBC_TUNABLES: 'glibc.rtld.nns=8' }, true);
    expect(plan.action).toBe('relaunch');
    const env = plan.action === 'relaunch' ? plan.env : {};
    expect(env['GLIBC_TUNABLES']).toBe(`glibc.rtld.nns=8:${TENSOR_MALLOC_TUNABLES}`);
    expect(planAllocatorTuning(env, true)).toEqual({ action: 'continue', state: 'applied', restore: 'glibc.rtld.nns=8' });
  });

  it('does not relaunch a relaunched process, even where it would otherwise', () => {
    const relaunched = { GLIBC_TUNABLES: TENSOR_MALLOC_TUNABLES, RLAIF_ORIGINAL_GLIBC_TUNABLES: 'null' };
    expect(planAllocatorTuning(relaunched, true)).toEqual({ action: 'continue', state: 'applied', restore: undefined });
  });

  it('keeps the user’s own malloc tunables', () => {
    expect(planAllocatorTuning({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, true)).toEqual({ action: 'continue', state: 'user-set' });
  });

  it('is switched off by RLAIF_ALLOCATOR_TUNING=off, and skipped without glibc', () => {
    expect(planAllocatorTuning({ RLAIF_ALLOCATOR_TUNING: 'off' }, true)).toEqual({ action: 'continue', state: 'off' });
    expect(planAllocatorTuning({}, false)).toEqual({ action: 'continue', state: 'unsupported' });
  });
});
