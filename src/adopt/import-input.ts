/** `plan import`: read the input, map it, write the plan where it belongs, and say what to check. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { AdoptError } from './adopt-error.js';
import { importCompose } from './compose/import-compose.js';
import { importWorkflow } from './github-actions/import-workflow.js';
import { writePlanSource } from './plan/write-plan.js';
import { describeNotes, writeFiles } from './write-output.js';
import type { Draft } from './plan/draft.js';

export interface ImportRequest {
  readonly source: 'compose' | 'github-actions';
  readonly file: string;
  readonly cwd: string;
  /** Where to write the plan; default `<repo>/plans/<name>.plan.ts`. */
  readonly out?: string;
  readonly job?: string;
  readonly name?: string;
  readonly force: boolean;
  readonly display: (file: string) => string;
}

export interface ImportResult {
  readonly planFile: string;
  readonly draft: Draft;
  /** What to print: the file written, then found / guesses / warnings. */
  readonly report: string;
}

export function importInput(req: ImportRequest): ImportResult {
  if (!existsSync(req.file))
    throw new AdoptError(
      `${req.display(req.file)} does not exist: pass the path of the ${req.source === 'compose' ? 'compose file' : 'workflow file'}.`,
    );
  const repo = repoRoot(req.file);
  const planDir = req.out ? dirname(req.out) : join(repo, 'plans');
  const options = { planDir, ...(req.name !== undefined ? { name: req.name } : {}) };
  const draft =
    req.source === 'compose'
      ? importCompose(req.file, options)
      : importWorkflow(req.file, { ...options, repoDir: repo, ...(req.job !== undefined ? { job: req.job } : {}) });
  const planFile = req.out ?? join(planDir, `${draft.name}.plan.ts`);
  writeFiles([{ path: planFile, content: writePlanSource(draft) }], req.force, req.display);
  const report =
    `✔ wrote ${req.display(planFile)} (plan ${draft.name}) from ${req.display(req.file)}\n` +
    describeNotes(draft) +
    `Next: npx plan check --types ${req.display(planFile)} && npx plan run ${req.display(planFile)}\n`;
  return { planFile, draft, report };
}

/** The nearest folder above `file` that holds `.git`. */
export function gitRoot(file: string): string | undefined {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The repository an input belongs to: the nearest folder with `.git`, else above `.github/`, else the input's folder. */
export function repoRoot(file: string): string {
  const start = dirname(resolve(file));
  const git = gitRoot(file);
  if (git) return git;
  const github = start.lastIndexOf(`${sep}.github`);
  return github >= 0 ? start.slice(0, github) || sep : start;
}
