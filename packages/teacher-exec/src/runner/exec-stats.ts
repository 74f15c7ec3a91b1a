/**
 * What the sandbox did, counted since the teacher was made: runs started, candidates executed (not
 * answered from the cache), compile failures and sandbox wall time per language. Reported as
 * cumulative `Sandbox/*` scalars with each training batch (the report's sandbox charts).
 */
import type { Language, Scalars } from '@rlaif/core';

export class ExecStats {
  private runs = 0;
  private cacheHits = 0;
  private readonly candidates: Partial<Record<Language, number>> = {};
  private readonly compileFailures: Partial<Record<Language, number>> = {};
  private readonly seconds: Partial<Record<Language, number>> = {};

  /** One sandboxed run (a compilation, a test, a test server) of `language`, `wallMs` long. */
  run(language: Language, wallMs: number): void {
    this.runs += 1;
    this.seconds[language] = (this.seconds[language] ?? 0) + wallMs / 1000;
  }

  /** One candidate executed, and whether it compiled. */
  candidate(language: Language, compiled: boolean): void {
    this.candidates[language] = (this.candidates[language] ?? 0) + 1;
    if (!compiled) this.compileFailures[language] = (this.compileFailures[language] ?? 0) + 1;
  }

  /** One piece of code answered from the cache (or by an identical run in flight). */
  cacheHit(): void {
    this.cacheHits += 1;
  }

  /** Cumulative scalars: `Sandbox/Runs`, `Sandbox/CompileFailures`, `Sandbox/CacheHits`, and per language `_<language>` counts and seconds. */
  scalars(): Scalars {
    const scalars: Record<string, number> = {
      'Sandbox/Runs': this.runs,
      'Sandbox/CacheHits': this.cacheHits,
      'Sandbox/CompileFailures': Object.values(this.compileFailures).reduce((sum, count) => sum + count, 0),
    };
    for (const [language, count] of Object.entries(this.candidates)) {
      scalars[`Sandbox/Candidates_${language}`] = count;
      scalars[`Sandbox/CompileFailures_${language}`] = this.compileFailures[language as Language] ?? 0;
      scalars[`Sandbox/Seconds_${language}`] = this.seconds[language as Language] ?? 0;
    }
    return scalars;
  }
}
