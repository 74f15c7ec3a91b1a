import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { renderReportHtml } from './report-html.js';
import { loadRunData } from './run-data.js';
import type { RunData } from './run-data.js';

/** The file name `rlaif report` writes inside the run directory by default. */
export const DEFAULT_REPORT_FILE = 'report.html';

/** Where a report went and what went into it. */
export interface WrittenReport {
  readonly path: string;
  readonly bytes: number;
  readonly data: RunData;
}

/** Reads a run directory and writes its HTML report atomically (default `<runDir>/report.html`). */
export async function writeRunReport(runDir: string, output?: string): Promise<WrittenReport> {
  const data = await loadRunData(runDir);
  const html = renderReportHtml(data);
  const path = resolve(output ?? join(runDir, DEFAULT_REPORT_FILE));
  await writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html), data };
}
