/** `plan export`: load the plan (secrets as variable names), render it for compose or GitHub Actions, write or return it. */
import { dirname } from 'node:path';
import { loadForExport } from './export/load-for-export.js';
import { planToCompose } from './export/to-compose.js';
import { planToWorkflow } from './export/to-workflow.js';
import { gitRoot } from './import-input.js';
import { writeFiles } from './write-output.js';

export interface ExportRequest {
  readonly target: 'compose' | 'github-actions';
  readonly file: string;
  readonly cwd: string;
  readonly out?: string;
  readonly force: boolean;
  readonly display: (file: string) => string;
}

export async function exportPlan(req: ExportRequest): Promise<{ text: string; warnings: readonly string[] }> {
  const plan = await loadForExport(req.file);
  const result =
    req.target === 'compose'
      ? planToCompose(plan, req.out ? dirname(req.out) : req.cwd)
      : planToWorkflow(plan, gitRoot(plan.file) ?? req.cwd);
  if (req.out) writeFiles([{ path: req.out, content: result.text }], req.force, req.display);
  return result;
}
