/** Where a stop string first appears in `text`, searching only the part that changed since `fromLength` (every engine's sampler uses it). */
export function findStopString(text: string, stops: readonly string[], fromLength: number): number {
  let earliest = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop, Math.max(0, fromLength - stop.length + 1));
    if (at >= 0 && (earliest < 0 || at < earliest)) earliest = at;
  }
  return earliest;
}
