/** What every adopted plan ends with: gates from the thresholds found, and acceptance criteria to fill in. */
import type { CoverageThresholds } from '../../dsl/types.js';
import type { Draft, DraftObject } from './draft.js';

export interface SkeletonInput {
  /** Coverage thresholds the project already enforces, and where they were found. */
  readonly coverage?: { readonly thresholds: CoverageThresholds; readonly source: string };
  /** Tests counted in a first run, if the adopter ran the suite. */
  readonly executed?: { readonly count: number; readonly source: string };
}

export function addGatesAndCriteria(draft: Draft, input: SkeletonInput): void {
  const phases = Object.keys((draft.get(['phases']) as DraftObject | undefined) ?? {});
  const gateNames: string[] = [];
  const coverage = input.coverage && Object.keys(input.coverage.thresholds).length > 0 ? input.coverage : undefined;
  if (coverage) {
    draft.set(['gates', 'coverage'], { ...coverage.thresholds });
    draft.found(['gates', 'coverage'], `coverage thresholds from ${coverage.source}`);
    gateNames.push('coverage');
  }
  draft.set(['gates', 'tests'], { failed: 0, ...(input.executed ? { minExecuted: input.executed.count } : {}) });
  if (input.executed) {
    draft.guess(
      ['gates', 'tests', 'minExecuted'],
      `${input.executed.count} tests ran in ${input.executed.source}: a run that executes fewer fails this gate`,
    );
  } else {
    draft.guess(
      ['gates', 'tests'],
      'add minExecuted: N (the number of tests the suite runs today), so that a suite that silently stops collecting tests fails',
    );
  }
  gateNames.push('tests');

  const criteria: DraftObject[] = phases.map((phase, i) => ({
    id: `FR-${i + 1}`,
    requirement: `TODO: the requirement the ${phase} suite proves`,
    verifiedBy: { phases: [phase] },
  }));
  criteria.push({
    id: 'NFR-1',
    kind: 'non-functional',
    requirement: coverage
      ? 'TODO: the quality bar (coverage and test count) the team agreed on'
      : 'TODO: the quality bar the team agreed on',
    verifiedBy: { gates: gateNames },
  });
  draft.set(['acceptance'], criteria);
  draft.guess(
    ['acceptance'],
    'criteria are a skeleton: write each requirement, and point verifiedBy.tests at the tests that prove it (e.g. /test_upload/)',
  );
}
