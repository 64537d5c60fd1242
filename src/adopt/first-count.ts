/**
 * `plan init --count`: the generated plan is run once, and the number of tests it executed becomes
 * `gates.tests.minExecuted`, so that a suite that silently stops collecting tests fails later.
 * Running belongs to the CLI; this module only reads the run's results and rewrites the plan.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Draft } from './plan/draft.js';
import { writePlanSource } from './plan/write-plan.js';

export interface FirstRun {
  /** The run's exit code. */
  readonly code: number;
  readonly outDir: string;
}

/** Sets minExecuted from the run's results when tests ran; returns the line to print. */
export function applyFirstCount(draft: Draft, planFile: string, run: FirstRun): string {
  let executed = 0;
  try {
    const results = JSON.parse(readFileSync(join(run.outDir, 'results.json'), 'utf8')) as {
      tests?: { passed?: number; failed?: number; errored?: number };
    };
    executed = (results.tests?.passed ?? 0) + (results.tests?.failed ?? 0) + (results.tests?.errored ?? 0);
  } catch {
    // No results: the run did not get that far.
  }
  if (executed === 0 || (run.code !== 0 && run.code !== 1)) {
    return `! count not done: the first run (exit ${run.code}) executed no tests; see ${join(run.outDir, 'report.md')}, fix the plan, then set gates.tests.minExecuted\n`;
  }
  const index = draft.notes.findIndex((n) => n.path.join('.') === 'gates.tests' && n.kind === 'guess');
  if (index >= 0) draft.notes.splice(index, 1);
  draft.set(['gates', 'tests', 'minExecuted'], executed);
  draft.guess(
    ['gates', 'tests', 'minExecuted'],
    `${executed} tests ran in the first run (plan init --count${run.code === 1 ? ', which failed' : ''}): fewer fails this gate`,
  );
  writeFileSync(planFile, writePlanSource(draft));
  return `✔ counted ${executed} tests in a first run (exit ${run.code}): gates.tests.minExecuted = ${executed}\n`;
}
