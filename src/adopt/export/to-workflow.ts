/**
 * A plan → a GitHub Actions workflow whose gate step is `npx plan run`: its exit code is the
 * verdict; under GitHub Actions it appends the report to the step summary and turns failures into
 * annotations by itself; the run's folder is uploaded as an artifact, also when the run failed.
 */
import { relative } from 'node:path';
import { Document } from 'yaml';
import type { TestPlan } from '../../dsl/plan.js';
import { exportedValue } from './load-for-export.js';

export interface WorkflowExport {
  readonly text: string;
  readonly warnings: readonly string[];
}

const REPORT_DIR = '.testplan/report';

/** `repoDir`: the repository root the workflow checks out (the plan path is relative to it). */
export function planToWorkflow(plan: TestPlan, repoDir: string): WorkflowExport {
  const warnings: string[] = [];
  const secrets: Record<string, string> = {};
  const envMaps = [
    ...Object.values(plan.services).map((s) => [`services.${s.name}`, s.env] as const),
    ...Object.values(plan.phases).map((p) => [`phases.${p.name}`, p.env] as const),
    ...Object.values(plan.checks).map((c) => [`checks.${c.name}`, c.env] as const),
  ];
  for (const [where, env] of envMaps) {
    for (const [key, value] of Object.entries(env)) {
      const exported = exportedValue(key, value);
      if (exported.kind !== 'variable') continue;
      if (exported.literal) {
        warnings.push(
          `${where}.env.${key} is a literal secret('…') in the plan: the plan itself carries it, no repository secret needed`,
        );
        continue;
      }
      secrets[exported.name] = `\${{ secrets.${exported.name} }}`;
    }
  }
  const planPath = relative(repoDir, plan.file) || plan.file;
  const profiles = [
    ...new Set([...Object.values(plan.services), ...Object.values(plan.phases)].flatMap((x) => x.profiles)),
  ];
  const timeoutMinutes =
    plan.gates.duration?.maxMs !== undefined ? Math.ceil(plan.gates.duration.maxMs / 60_000) + 15 : 60;

  const workflow = {
    name: `testplan ${plan.name}`,
    on: { push: { branches: ['main'] }, pull_request: null, workflow_dispatch: null },
    permissions: { contents: 'read' },
    jobs: {
      plan: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': timeoutMinutes,
        steps: [
          // The changed-lines gate needs the history back to its base's merge-base.
          plan.gates.changedLines
            ? { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } }
            : { uses: 'actions/checkout@v4' },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 20, cache: 'npm' } },
          { name: 'Install', run: 'npm ci' },
          {
            name: `plan run ${plan.name} (the gate)`,
            run: `npx plan run ${planPath} --out ${REPORT_DIR}${profiles.map((p) => ` --profile ${p}`).join('')}`,
            ...(Object.keys(secrets).length > 0 ? { env: secrets } : {}),
          },
          {
            name: 'Upload the report',
            if: 'always()',
            uses: 'actions/upload-artifact@v4',
            with: { name: `testplan-${plan.name}`, path: REPORT_DIR, 'if-no-files-found': 'warn' },
          },
        ],
      },
    },
  };
  const doc = new Document(workflow, { version: '1.1' });
  doc.commentBefore = [
    ` Exported from ${plan.name} by \`plan export github-actions\`.`,
    ' `plan run` exits non-zero when the verdict fails; under GitHub Actions it writes report.md to the step',
    ' summary, failures as ::error annotations and each phase log as a ::group::.',
    " It expects testplan in the repository's devDependencies (npm install --save-dev testplan) and Docker on the runner.",
    ...(Object.keys(secrets).length > 0 ? [` Repository secrets to create: ${Object.keys(secrets).join(', ')}.`] : []),
    ...(profiles.length > 0
      ? [` Every profile is enabled (${profiles.join(', ')}): drop --profile flags to run less.`]
      : []),
    ...warnings.map((w) => ` note: ${w}`),
  ].join('\n');
  return {
    text: doc
      .toString({ lineWidth: 0 })
      .replace(/^(\s+)pull_request: null$/m, '$1pull_request:')
      .replace(/^(\s+)workflow_dispatch: null$/m, '$1workflow_dispatch:'),
    warnings,
  };
}
