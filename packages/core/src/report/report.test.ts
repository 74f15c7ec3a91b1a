/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from './report-html.js';
import { loadRunData } from './run-data.js';
import { writeRunReport } from './write-report.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const INJECTION = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';

/** Writes a synthetic run directory: 3 epochs × 8 batches of metrics, health checks and dataset rows. */
async function syntheticRun(options: { finished: boolean; tornTails?: boolean }): Promise<string> {
  const runDir = await mkdtemp(join(tmpdir(), 'rlaif-report-'));
  await mkdir(join(runDir, 'logs/json_summaries'), { recursive: true });
  await mkdir(join(runDir, 'datasets'), { recursive: true });
  const batches: string[] = [];
  const epochs: string[] = [];
  const health: string[] = [];
  const dataset: string[] = [];
  let step = 0;
  for (let epoch = 1; epoch <= 3; epoch++) {
    for (let batch = 1; batch <= 8; batch++) {
      step += 1;
      const reward = 0.3 + 0.02 * step + 0.05 * Math.sin(step);
      batches.push(
        JSON.stringify({
          kind: 'batch',
          epoch,
          batch,
          step,
          timestamp: new Date(Date.UTC(2026, 0, 1, 0, step)).toISOString(),
          elapsedSeconds: step * 30,
          metrics: {
            'Train/Loss': 1.2 / step + 0.05 * Math.cos(step),
            'Train/PolicyLoss': 1.1 / step,
            'Train/AvgReward': reward,
            'Train/RewardMax': reward + 0.2,
            'Train/KL': 0.001 * step,
            'Train/KLPenalty': 0.0001 * step,
            'Train/Entropy': 2 - 0.03 * step,
            'Train/FracRewardZeroStd': (step % 4) / 8,
            'Performance/Generation_TokensPerSec': 40 + (step % 5),
            'Performance/Backprop_TokensPerSec': 700 + 10 * (step % 3),
            'Performance/Scoring_TotalTokens_Input_Cumulative': 1500 * step,
            'Performance/Scoring_TotalTokens_Output_Cumulative': 400 * step,
            'Teacher/CostUSD': 0.012 * step,
            'Teacher/CacheHitRate': Math.min(1, step / 24),
          },
        }),
      );
      if (batch % 4 === 0) {
        const warn = step === 12;
        health.push(
          JSON.stringify({
            step,
            epoch,
            batch,
            status: warn ? 'WARN' : 'OK',
            line: `[HealthCheck] ${warn ? 'WARN' : 'OK'} | e${epoch} b${batch} | reward(mean=${reward.toFixed(3)})`,
            issues: warn ? ['generation bottleneck: gen=91% of step time'] : [],
          }),
        );
      }
      for (let sample = 0; sample < 2; sample++) {
        const score = ((step * 7 + sample * 13) % 20) / 20;
        dataset.push(
          JSON.stringify({
            id: `e${epoch}-b${batch}-s${sample}`,
            epoch,
            batch,
            step,
            task_id: `task-${step}`,
            language: 'python',
            prompt: `Write a function number ${step}.`,
            completion: step === 5 && sample === 0 ? `def f():\n    return "${INJECTION}"` : `def solve_${step}_${sample}():\n    return ${step}`,
            score,
            reward: score * 0.9,
            teacher_score: 0.9,
            breakdown: { correctness: score, quality: 0.5 },
            evidence: 'tests passed: 3/4',
          }),
        );
      }
    }
    epochs.push(JSON.stringify({ kind: 'epoch', epoch, step, metrics: { 'Epoch/AvgReward': 0.3 + 0.15 * epoch, 'Epoch/AvgLoss': 1 / epoch, 'Epoch/APITokens': 15000 * epoch } }));
  }
  const torn = options.tornTails ? '{"kind":"batch","epoch":4,"met' : '';
  await writeFile(join(runDir, 'logs/json_summaries/batches.jsonl'), `${batches.join('\n')}\n${torn}`);
  await writeFile(join(runDir, 'logs/json_summaries/epochs.jsonl'), `${epochs.join('\n')}\n`);
  await writeFile(join(runDir, 'logs/health.jsonl'), `${health.join('\n')}\n${options.tornTails ? '{"step":' : ''}`);
  await writeFile(join(runDir, 'datasets/train.jsonl'), `${dataset.join('\n')}\n${options.tornTails ? '{"id":"cut' : ''}`);
  if (options.finished) {
    await writeFile(join(runDir, 'summary.json'), JSON.stringify({ globalStep: 24, baselineReward: 0.31, finalReward: 0.79, note: INJECTION }));
    await writeFile(join(runDir, 'run.json'), JSON.stringify({ startedAt: '2026-01-01T00:00:00Z', config: { model: { name: 'tiny-qwen2' } } }));
  }
  return runDir;
}

describe('loadRunData', () => {
  it('reads a finished run completely', async () => {
    const data = await loadRunData(await syntheticRun({ finished: true }));
    expect(data.batches).toHaveLength(24);
    expect(data.epochs).toHaveLength(3);
    expect(data.health).toHaveLength(6);
    expect(data.samples.total).toBe(48);
    expect(data.samples.best[0]?.score).toBe(0.95);
    expect(data.samples.worst[0]?.score).toBe(0);
    expect(data.samples.latest[0]?.id).toBe('e3-b8-s1');
    expect(data.summary?.finalReward).toBe(0.79);
    expect(data.warnings).toEqual([]);
  });

  it('reads a running run, ignoring torn last lines and noting them', async () => {
    const data = await loadRunData(await syntheticRun({ finished: false, tornTails: true }));
    expect(data.batches).toHaveLength(24);
    expect(data.health).toHaveLength(6);
    expect(data.samples.total).toBe(48);
    expect(data.summary).toBeUndefined();
    expect(data.warnings).toHaveLength(3);
    expect(data.warnings.every((warning) => warning.includes('incomplete last line'))).toBe(true);
  });

  it('gives empty sections for an empty directory', async () => {
    const data = await loadRunData(await mkdtemp(join(tmpdir(), 'rlaif-report-empty-')));
    expect([data.batches.length, data.epochs.length, data.health.length, data.samples.total]).toEqual([0, 0, 0, 0]);
    const html = renderReportHtml(data);
    expect(html).toContain('No samples recorded yet');
    expect(html.match(/class="chart-empty"/g)).toHaveLength(7);
  });
});

describe('renderReportHtml', () => {
  it('escapes user text and loads nothing from outside the page', async () => {
    const html = renderReportHtml(await loadRunData(await syntheticRun({ finished: true })));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<[^>]*\s(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/);
  });
});

describe('the HTML report in headless Chromium', () => {
  it('renders its charts, health checks and samples', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: this test needs Debian's chromium (apt-get install -y chromium); CI's setup script installs it`);
    }
    const runDir = await syntheticRun({ finished: false, tornTails: true });
    const report = await writeRunReport(runDir);
    expect(report.path).toBe(join(runDir, 'report.html'));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const outside: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        outside.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(report.path).href);
      const screenshot = join(await mkdtemp(join(tmpdir(), 'rlaif-report-shot-')), 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      if (process.env.RLAIF_UPDATE_REPORT_SCREENSHOT === '1') {
        await copyFile(screenshot, fileURLToPath(new URL('./report-screenshot.png', import.meta.url)));
      }
      expect((await readFile(screenshot)).subarray(1, 4).toString()).toBe('PNG');

      const dom = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: boolean }).__pwned === true,
        charts: [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          return {
            title: svg.querySelector('.chart-title')?.textContent ?? '',
            width: box.width,
            height: box.height,
            paths: [...svg.querySelectorAll('path.series-line')].map((path) => ({
              d: path.getAttribute('d') ?? '',
              length: (path as SVGPathElement).getTotalLength(),
            })),
          };
        }),
        sampleRows: [...document.querySelectorAll('table.samples tbody tr.sample')].map((row) => row.className),
        healthRows: [...document.querySelectorAll('table.health tbody tr')].map((row) => row.className),
        completionText: [...document.querySelectorAll('table.samples pre')].map((pre) => pre.textContent ?? '').join('\n'),
        notes: document.querySelector('#warnings')?.textContent ?? '',
      }));

      expect(outside).toEqual([]);
      expect(dom.pwned).toBe(false);
      expect(dom.charts.map((chart) => chart.title)).toEqual([
        'Reward',
        'Loss',
        'KL divergence',
        'Throughput (tokens/s)',
        'Teacher tokens',
        'Teacher cost (USD) and cache hit rate',
        'Policy diagnostics',
      ]);
      for (const chart of dom.charts) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
        expect(chart.paths.length).toBeGreaterThanOrEqual(2);
        for (const path of chart.paths) {
          expect(path.d.split('L').length).toBeGreaterThanOrEqual(3);
          expect(path.length).toBeGreaterThan(50);
        }
      }
      expect(dom.sampleRows.filter((name) => name.includes('sample-best'))).toHaveLength(3);
      expect(dom.sampleRows.filter((name) => name.includes('sample-worst'))).toHaveLength(3);
      expect(dom.sampleRows.filter((name) => name.includes('sample-latest'))).toHaveLength(3);
      expect(dom.healthRows).toHaveLength(6);
      expect(dom.healthRows.filter((name) => name === 'health-warn')).toHaveLength(1);
      expect(dom.notes).toContain('incomplete last line');
    } finally {
      await browser.close();
    }
  });
});
