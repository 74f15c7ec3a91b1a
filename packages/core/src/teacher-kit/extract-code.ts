/** Pulls the code out of a model reply: the longest fenced block, or the whole reply when unfenced. */
export function extractCode(reply: string): string {
  const blocks = [...reply.matchAll(/(`{3,})[^\n`]*\n([\s\S]*?)\n?\1/g)].map((m) => m[2] ?? '');
  if (blocks.length > 0) return blocks.reduce((a, b) => (b.length > a.length ? b : a)).trim();
  // An unterminated fence (reply cut off) still starts with the opening line.
  const open = /^\s*`{3,}[^\n]*\n([\s\S]*)$/.exec(reply);
  return (open ? (open[1] ?? '') : reply).trim();
}
