/**
 * Which earlier run this one is compared with (`plan run --baseline`), and the comparison added to its
 * results. Stored runs are the results.json files in the folders beside this run's output folder
 * (`.testplan/runs/*` by default). A baseline that cannot be read, or is of another plan, is a warning,
 * never a failure: the run's verdict does not depend on it.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareRuns, FLAKY_WINDOW } from '../report/compare/compare-runs.js';
import { parseResults, prepareResultsCheck } from '../report/read-results.js';
import { redactResults } from '../report/redact-results.js';
import type { RunResults } from '../report/results.js';
import { MAX_RESULTS_BYTES, storedResultFiles } from './stored-runs.js';

const exec = promisify(execFile);

/** Stored runs looked at, newest first by file time. */
export const MAX_STORED_RUNS = 50;

export interface BaselineOptions {
  /** `--baseline` as given: a results.json, a run id or a git ref; `false` for `--no-baseline`. */
  readonly choice: string | false | undefined;
  /** This run's output folder; stored runs are its sibling folders (and its own earlier results.json). */
  readonly outDir: string;
  /** Where a relative `--baseline` path is resolved, and git runs. */
  readonly cwd: string;
  readonly secrets?: readonly string[];
  readonly resolveRef?: (ref: string, cwd: string) => Promise<string | undefined>;
}

interface Stored {
  readonly file: string;
  readonly results: RunResults;
}

/** Reads one results.json for comparison; a reason instead of a throw when it cannot be used. */
export async function readStoredResults(
  file: string,
): Promise<{ results: RunResults } | { problem: string; gone?: true }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: `${file} is not a file` };
    if (info.size > MAX_RESULTS_BYTES)
      return { problem: `${file} is ${info.size} bytes, more than a results.json can be (${MAX_RESULTS_BYTES})` };
    return { results: parseResults(await readFile(file, 'utf8'), file) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: `${file} does not exist`, gone: true };
    const message = error instanceof Error ? error.message : String(error);
    return { problem: message.split('\n').slice(0, 4).join(' ') };
  }
}

/**
 * Stored runs, newest results.json first (at most MAX_STORED_RUNS looked at), kept when `keep` says so,
 * until `done`: a `plan run` reads only the few runs it needs, not every one stored.
 */
async function scanRuns(
  runsDir: string,
  keep: (r: RunResults) => boolean,
  done: (kept: readonly Stored[]) => boolean,
): Promise<{ runs: Stored[]; problems: string[] }> {
  const runs: Stored[] = [];
  const problems: string[] = [];
  for (const { file } of await storedResultFiles(runsDir, MAX_STORED_RUNS)) {
    if (done(runs)) break;
    const read = await readStoredResults(file);
    // A run folder removed since it was listed (a clean-up going on) is not a damaged run.
    if ('problem' in read) {
      if (!read.gone) problems.push(read.problem);
    } else if (keep(read.results)) runs.push({ file, results: read.results });
  }
  runs.sort((a, b) => a.results.startedAt.localeCompare(b.results.startedAt));
  return { runs, problems };
}

const defaultResolveRef = async (ref: string, cwd: string): Promise<string | undefined> => {
  try {
    const { stdout } = await exec('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
      cwd,
      timeout: 10_000,
    });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Readies the comparison before the run ends: stored runs are checked with the compiled results.json check. */
export const prepareBaseline = prepareResultsCheck;

/**
 * The run with its `baseline` block (or a warning saying why there is none). Never throws: the run's
 * reports are written whatever happens here.
 */
export async function attachBaseline(results: RunResults, options: BaselineOptions): Promise<RunResults> {
  let out: RunResults;
  try {
    out = await compareWithBaseline(results, options);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    out = { ...results, warnings: [...(results.warnings ?? []), `baseline: not compared (a bug in testplan: ${why})`] };
  }
  // The other run's text and the warnings (a JSON error quotes the file) are masked like this run's.
  return out !== results && options.secrets?.length ? redactResults(out, options.secrets) : out;
}

async function compareWithBaseline(results: RunResults, options: BaselineOptions): Promise<RunResults> {
  if (options.choice === false) return results;
  const runsDir = path.dirname(options.outDir);
  const warn = (warning: string): RunResults => ({
    ...results,
    warnings: [...(results.warnings ?? []), `baseline: ${warning}`],
  });
  const explicit = options.choice === undefined ? undefined : await resolveChoice(options.choice, options, runsDir);
  if (explicit && 'problem' in explicit) return warn(`${explicit.problem}: not compared`);
  const commit = explicit && 'commit' in explicit ? explicit.commit : undefined;

  const ofPlan = (r: RunResults) => r.plan.name === results.plan.name && r.runId !== results.runId;
  const onBranch = (r: RunResults) =>
    ofPlan(r) && r.git?.branch === results.git?.branch && r.startedAt < results.startedAt;
  const atCommit = (r: RunResults) => ofPlan(r) && commit !== undefined && r.git?.commit === commit;
  const { runs, problems } = await scanRuns(
    runsDir,
    (r) => onBranch(r) || atCommit(r),
    (kept) =>
      kept.filter((k) => onBranch(k.results)).length >= FLAKY_WINDOW - 1 &&
      (commit === undefined || kept.some((k) => atCommit(k.results))),
  );
  const skipped =
    problems.length > 0
      ? `; ${problems.length} stored runs in ${runsDir} could not be read and were skipped (${problems[0]})`
      : '';
  const history = runs.filter((r) => onBranch(r.results));

  let chosen: Stored | undefined;
  let chosenBy: string;
  if (options.choice === undefined) {
    chosen = history.at(-1);
    chosenBy = `the previous run of ${results.plan.name}${results.git?.branch ? ` on branch ${results.git.branch}` : ''}`;
    if (chosen === undefined) return problems.length > 0 ? warn(`no earlier run to compare with${skipped}`) : results;
  } else if (commit !== undefined) {
    chosen = runs.filter((r) => atCommit(r.results)).at(-1);
    chosenBy = `--baseline ${options.choice}`;
    if (chosen === undefined)
      return warn(
        `no stored run of this plan in ${runsDir} tested ${options.choice} (commit ${commit.slice(0, 12)}): not compared${skipped}`,
      );
  } else {
    chosen = (explicit as { stored: Stored }).stored;
    chosenBy = `--baseline ${options.choice}`;
    if (chosen.results.plan.name !== results.plan.name)
      return warn(
        `${chosen.file} is a run of plan ${chosen.results.plan.name}, not ${results.plan.name}: not compared (use plan report --compare for any two runs)`,
      );
  }
  const baseline = compareRuns(results, chosen.results, {
    chosenBy,
    history: history.map((r) => r.results).slice(-(FLAKY_WINDOW - 1)),
  });
  const compared: RunResults = { ...results, baseline };
  const withWarning =
    problems.length > 0
      ? { ...compared, warnings: [...(compared.warnings ?? []), `baseline${skipped.slice(1)}`] }
      : compared;
  return withWarning;
}

/** `--baseline X`: a results.json or run folder, a run id, or a git ref (its commit). */
async function resolveChoice(
  choice: string,
  options: BaselineOptions,
  runsDir: string,
): Promise<{ stored: Stored } | { commit: string } | { problem: string }> {
  const asPath = path.resolve(options.cwd, choice);
  const fileInfo = await stat(asPath).catch(() => undefined);
  const runFolder = path.join(runsDir, choice, 'results.json');
  const file = fileInfo?.isDirectory()
    ? path.join(asPath, 'results.json')
    : fileInfo?.isFile()
      ? asPath
      : (await stat(runFolder).catch(() => undefined))
        ? runFolder
        : undefined;
  if (file !== undefined) {
    const read = await readStoredResults(file);
    return 'results' in read ? { stored: { file, results: read.results } } : { problem: read.problem };
  }
  const commit = await (options.resolveRef ?? defaultResolveRef)(choice, options.cwd);
  if (commit === undefined)
    return { problem: `--baseline ${choice} is neither a results.json, a run id in ${runsDir}, nor a git ref` };
  return { commit };
}
