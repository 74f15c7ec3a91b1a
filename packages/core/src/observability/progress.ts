import { formatDuration } from './stats.js';

export type ProgressMode = 'auto' | 'bar' | 'plain' | 'none';

export interface ProgressUpdate {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly reward: number;
  readonly loss: number;
  readonly tokensPerSec: number;
  readonly elapsedSeconds: number;
  /** Seconds left, when the caller knows better than elapsed × remaining share (e.g. after a warm-up). */
  readonly etaSeconds?: number;
}

/**
 * Live progress: a single redrawn line on a TTY (step, reward, loss, tokens/s, ETA), plain lines
 * otherwise (CI logs, files).
 */
export class Progress {
  private readonly mode: 'bar' | 'plain' | 'none';
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    mode: ProgressMode,
  ) {
    this.mode = mode === 'auto' ? (stream.isTTY ? 'bar' : 'plain') : mode;
  }

  update(u: ProgressUpdate): void {
    if (this.mode === 'none') return;
    const fraction = u.totalSteps > 0 ? Math.min(1, u.step / u.totalSteps) : 0;
    const eta = u.etaSeconds ?? (fraction > 0 ? (u.elapsedSeconds / fraction) * (1 - fraction) : Number.NaN);
    const text =
      `step ${u.step}/${u.totalSteps} | epoch ${u.epoch}/${u.epochs} | reward ${fmt(u.reward)} | loss ${fmt(u.loss)} | ` +
      `${u.tokensPerSec.toFixed(1)} tok/s | ETA ${Number.isFinite(eta) ? formatDuration(eta) : '?'}`;
    if (this.mode === 'plain') {
      this.stream.write(`${text}\n`);
      return;
    }
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(fraction * 100)}%`;
    this.stream.write(`\r\x1b[2K${bar} ${text}`.slice(0, (this.stream.columns ?? 200) + 10));
    this.drawn = true;
  }

  /** Ends the redrawn line so log lines that follow start on their own line. */
  clear(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}
