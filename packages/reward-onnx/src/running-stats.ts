/** Running mean and standard deviation (Welford's update), for normalising reward-model scores. */
export class RunningStats {
  private count = 0;
  private mean = 0;
  private squares = 0;

  /** Adds values to the running statistics. */
  push(values: readonly number[]): void {
    for (const value of values) {
      this.count++;
      const delta = value - this.mean;
      this.mean += delta / this.count;
      this.squares += delta * (value - this.mean);
    }
  }

  /** (value − mean) / (std + ε) over every value pushed so far; 0 before there is a spread to divide by. */
  normalize(value: number, epsilon = 1e-8): number {
    if (this.count < 2) return 0;
    const std = Math.sqrt(this.squares / this.count);
    return (value - this.mean) / (std + epsilon);
  }
}
