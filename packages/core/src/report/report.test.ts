/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReportHtml, reportCharts } from './report-html.js';
import { loadRunData } from './run-data.js';
import { writeRunReport } from './write-report.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const INJECTION = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';

/** Per-task held-out results: 40 tasks whose rewards and passes rise with `level`. */
function perTask(level: number) {
  return Array.from({ length: 40 }, (_, i) => {
    // Task difficulty plus noise that differs between evaluations, so paired gains vary by task.
    const reward = Math.min(1, Math.max(0, level + 0.25 * Math.sin(i * 1.7) + 0.1 * Math.sin(i * (3 + 17 * level))));
    return { taskId: `heldout-${i}`, reward, passRate: (i * 7) % 10 < level * 10 ? 1 : 0 };
  });
}

function evaluation(phase: string, globalStep: number, level: number) {
  const tasks = perTask(level);
  const mean = (key: 'reward' | 'passRate') => tasks.reduce((sum, task) => sum + task[key], 0) / tasks.length;
  return { phase, globalStep, meanReward: mean('reward'), passRate: mean('passRate'), samples: tasks.length * 4, perTask: tasks };
}

/**
 * Writes a synthetic run directory: an SFT warm-up, 3 epochs × 8 batches of metrics, health checks
 * and dataset rows; finished runs also have held-out evaluations and a validation report. `exec`
 * runs record sandbox counters instead of teacher tokens and cost.
 */
async function syntheticRun(options: { finished: boolean; tornTails?: boolean; exec?: boolean }): Promise<string> {
  const runDir = await mkdtemp(join(tmpdir(), 'rlaif-report-'));
  await mkdir(join(runDir, 'logs/json_summaries'), { recursive: true });
  await mkdir(join(runDir, 'datasets'), { recursive: true });
  const batches: string[] = [];
  const epochs: string[] = [];
  const health: string[] = [];
  const dataset: string[] = [];
  const sft = Array.from({ length: 30 }, (_, i) => JSON.stringify({ kind: 'sft', epoch: 1 + Math.floor(i / 15), step: i + 1, metrics: { 'SFT/Loss': 3 * Math.exp(-i / 8) + 0.4 + 0.05 * Math.sin(i) } }));
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
            ...(options.exec
              ? {
                  'Sandbox/Runs': 21 * step,
                  'Sandbox/CacheHits': 2 * step,
                  'Sandbox/CompileFailures': Math.floor(step * 1.5),
                  'Sandbox/Seconds_python': 0.9 * step,
                  'Sandbox/Seconds_cpp': 2.1 * step,
                  'Sandbox/Seconds_rust': 1.6 * step,
                }
              : { 'Teacher/CostUSD': 0.012 * step, 'Teacher/CacheHitRate': Math.min(1, step / 24) }),
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
  await writeFile(join(runDir, 'logs/json_summaries/sft.jsonl'), `${sft.join('\n')}\n`);
  await writeFile(join(runDir, 'logs/health.jsonl'), `${health.join('\n')}\n${options.tornTails ? '{"step":' : ''}`);
  await writeFile(join(runDir, 'datasets/train.jsonl'), `${dataset.join('\n')}\n${options.tornTails ? '{"id":"cut' : ''}`);
  if (options.finished) {
    const evaluations = [evaluation('before', 0, 0.05), evaluation('sft', 30, 0.3), evaluation('epoch-1', 38, 0.36), evaluation('epoch-2', 46, 0.42), evaluation('epoch-3', 54, 0.5)];
    await writeFile(join(runDir, 'summary.json'), JSON.stringify({ globalStep: 24, baselineReward: 0.31, finalReward: 0.79, note: INJECTION, evaluations }));
    await writeFile(
      join(runDir, 'validation_report.json'),
      JSON.stringify({
        testCases: 40, samplesPerTask: 4, temperature: 1, checkpoint: 'checkpoint-gs54', baselineCheckpoint: 'checkpoint-sft-gs30',
        baseline: { averageReward: 0.3, passRate: 0.3 }, fineTuned: { averageReward: 0.5, passRate: 0.5 },
        improved: 24, degraded: 6, equal: 10,
        examples: [{ taskId: 'heldout-3', language: 'python', baselineReward: 0.25, fineTunedReward: 1, baselineCode: 'def solve(xs):\n    return 0\n', fineTunedCode: `def solve(xs):\n    return sum(xs)  # ${INJECTION}\n` }],
      }),
    );
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
    expect(html).toContain('No held-out evaluations yet');
    expect(html.match(/class="chart-empty"/g)).toHaveLength(8);
  });
});

describe('renderReportHtml', () => {
  it('keeps the teacher token and cost charts when the teacher ran no code', async () => {
    const data = await loadRunData(await syntheticRun({ finished: true }));
    expect(reportCharts(data).map((chart) => chart.title)).toContain('Teacher tokens');
    expect(reportCharts(data).map((chart) => chart.title)).not.toContain('Sandbox time per language (s, cumulative)');
    expect(data.sft).toHaveLength(30);
  });

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
  it('renders its learning sections, charts, health checks and samples', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: this test needs Debian's chromium (apt-get install -y chromium); CI's setup script installs it`);
    }
    const runDir = await syntheticRun({ finished: true, tornTails: true, exec: true });
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
        heldOut: [...document.querySelectorAll('table.held-out tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
        validation: document.querySelector('#validation')?.textContent ?? '',
        pairs: document.querySelectorAll('table.pairs tbody tr').length,
      }));

      expect(outside).toEqual([]);
      expect(dom.pwned).toBe(false);
      expect(dom.charts.map((chart) => chart.title)).toEqual([
        'SFT warm-up loss',
        'Reward',
        'Loss',
        'KL divergence',
        'Throughput (tokens/s)',
        'Sandbox runs, compile failures and cache hits (cumulative)',
        'Sandbox time per language (s, cumulative)',
        'Policy diagnostics',
      ]);
      for (const chart of dom.charts) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
        expect(chart.paths.length).toBeGreaterThanOrEqual(chart.title.startsWith('SFT') ? 1 : 2);
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
      // Held-out: before, after SFT, three epochs; intervals in brackets; paired gains after SFT only.
      expect(dom.heldOut.map((cells) => cells[0])).toEqual(['before training', 'after SFT', 'after epoch 1', 'after epoch 2', 'after epoch 3']);
      for (const cells of dom.heldOut) expect(cells[2]).toMatch(/^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);
      expect(dom.heldOut[1]?.[4]).toBe('-');
      expect(dom.heldOut[4]?.[4]).toMatch(/^\+0\.\d{3} \[\+0\.\d{3}, \+0\.\d{3}\]$/);
      expect(dom.validation).toMatch(/improved\s*24/);
      expect(dom.validation).toMatch(/40 tasks × 4 samples at temperature 1;/);
      expect(dom.pairs).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
