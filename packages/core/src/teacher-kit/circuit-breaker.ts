/**
 * Stops hammering a provider that keeps failing: after `threshold` consecutive failures the circuit
 * opens and calls fail fast; after `cooldownMs` one trial call is let through (half-open).
 */
import { TeacherError } from '../errors/rlaif-error.js';

/** closed = normal; open = failing fast; half-open = one trial call in flight. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: CircuitState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly provider: string,
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current state, moving open → half-open once the cool-down has passed. */
  current(): CircuitState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.state = 'half-open';
    return this.state;
  }

  /** Throws a non-retryable TeacherError when the circuit is open (or half-open with a trial in flight). */
  before(): void {
    const state = this.current();
    if (state === 'closed') return;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return;
    }
    const waitS = Math.max(0, Math.ceil((this.cooldownMs - (this.now() - this.openedAt)) / 1000));
    throw new TeacherError(`${this.provider} circuit open after ${this.failures} consecutive failures`, this.provider, false, {
      hint: `the provider keeps failing; calls resume in ~${waitS}s. Check the provider status page, the key and \`baseURL\``,
    });
  }

  /** Records a successful call: closes the circuit. */
  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.state = 'closed';
  }

  /** Records a call that ended for reasons unrelated to the provider's health (abort, budget stop). */
  abandon(): void {
    this.trialInFlight = false;
  }

  /** Records a failed call (after its retries): may open the circuit. */
  failure(): void {
    this.failures++;
    this.trialInFlight = false;
    if (this.state === 'half-open' || this.failures >= this.threshold) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }
}
