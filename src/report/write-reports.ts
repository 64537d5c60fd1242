/** Writes every output of a run from its RunResults: results.json, report.md, junit.xml, the step summary. */
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderStepSummary, STEP_SUMMARY_LIMIT_BYTES } from './github/step-summary.js';
import { renderJunit } from './junit/render-junit.js';
import { renderMarkdown } from './markdown/render-markdown.js';
import { redactResults } from './redact-results.js';
import { RESULTS_VERSION, type RunResults } from './results.js';

export interface ReportFs {
  mkdir(dir: string): Promise<unknown>;
  writeFile(file: string, text: string): Promise<void>;
  appendFile(file: string, text: string): Promise<void>;
  /** Size in bytes, 0 when the file does not exist. */
  size(file: string): Promise<number>;
}

export const nodeReportFs: ReportFs = {
  mkdir: (dir) => mkdir(dir, { recursive: true }),
  writeFile: (file, text) => writeFile(file, text, 'utf8'),
  appendFile: (file, text) => appendFile(file, text, 'utf8'),
  size: (file) =>
    stat(file).then(
      (s) => s.size,
      () => 0,
    ),
};

export interface WriteReportsOptions {
  /** Secret values to mask; pass them when `results` was not redacted yet. */
  readonly secretValues?: readonly string[];
  readonly fs?: ReportFs;
  readonly stepSummaryLimitBytes?: number;
}

export interface WrittenReports {
  readonly resultsJson: string;
  readonly markdown: string;
  readonly junit: string;
  /** The $GITHUB_STEP_SUMMARY file appended to, under GitHub Actions. */
  readonly stepSummary?: string;
}

export async function writeReports(
  results: RunResults,
  outDir: string,
  env: Readonly<Record<string, string | undefined>>,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const fs = options.fs ?? nodeReportFs;
  const safe =
    options.secretValues && options.secretValues.length > 0 ? redactResults(results, options.secretValues) : results;
  await fs.mkdir(outDir);
  const written = {
    resultsJson: join(outDir, 'results.json'),
    markdown: join(outDir, 'report.md'),
    junit: join(outDir, 'junit.xml'),
  };
  await fs.writeFile(written.resultsJson, serializeResults(safe));
  await fs.writeFile(written.markdown, renderMarkdown(safe));
  await fs.writeFile(written.junit, renderJunit(safe));
  const summaryFile = env.GITHUB_ACTIONS === 'true' ? env.GITHUB_STEP_SUMMARY : undefined;
  if (!summaryFile) return written;
  // The limit is for the step's whole file: earlier output of this step counts, and one byte goes
  // to the newline that separates us from whatever follows.
  const already = await fs.size(summaryFile);
  const limit = Math.max(0, (options.stepSummaryLimitBytes ?? STEP_SUMMARY_LIMIT_BYTES) - already - 1);
  await fs.appendFile(summaryFile, `${renderStepSummary(safe, limit)}\n`);
  return { ...written, stepSummary: summaryFile };
}

/** Pretty JSON with `version` first. */
export function serializeResults(results: RunResults): string {
  const { version: _version, ...rest } = results;
  return `${JSON.stringify({ version: RESULTS_VERSION, ...rest }, null, 2)}\n`;
}
