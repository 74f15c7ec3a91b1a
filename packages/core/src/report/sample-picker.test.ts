import { describe, expect, it } from 'vitest';
import { SamplePicker, toSampleRow } from './sample-picker.js';

describe('SamplePicker', () => {
  it('keeps the best, worst and latest rows while streaming', () => {
    const picker = new SamplePicker(2);
    const scores = [0.5, 0.9, 0.1, 0.7, 0.1, 0.95, 0.3];
    scores.forEach((score, i) => picker.add(toSampleRow({ id: `r${i}`, step: i, score }, i + 1)));
    const result = picker.result();
    expect(result.best.map((row) => row.id)).toEqual(['r5', 'r1']);
    expect(result.worst.map((row) => row.id)).toEqual(['r2', 'r4']);
    expect(result.latest.map((row) => row.id)).toEqual(['r6', 'r5']);
    expect(result.total).toBe(7);
  });

  it('ranks by reward when a row has no score, and skips unranked rows for best/worst', () => {
    const picker = new SamplePicker(1);
    picker.add(toSampleRow({ id: 'a', score: null, reward: 0.4 }, 1));
    picker.add(toSampleRow({ id: 'b' }, 2));
    expect(picker.result().best.map((row) => row.id)).toEqual(['a']);
    expect(picker.result().latest.map((row) => row.id)).toEqual(['b']);
  });

  it('reads snake_case and camelCase fields and drops non-numeric breakdown entries', () => {
    const row = toSampleRow({ task_id: 't1', teacher_score: 0.8, breakdown: { correctness: 1, note: 'x' }, code: 'print(1)' }, 4);
    expect(row).toMatchObject({ id: 'line 4', taskId: 't1', teacherScore: 0.8, breakdown: { correctness: 1 }, completion: 'print(1)' });
    expect(toSampleRow({ taskId: 't2', teacherScore: 0.5 }, 1)).toMatchObject({ taskId: 't2', teacherScore: 0.5 });
  });
});
