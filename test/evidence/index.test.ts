import t from 'tap';
import * as evidence from '../../src/evidence/index.js';

t.test('the evidence entry point exports exactly the public functions', async (t) => {
  t.same(Object.keys(evidence).sort(), [
    'COVERAGE_METRICS',
    'CaseList',
    'NO_TESTS',
    'TEXT_PRESET_NAMES',
    'addedFile',
    'changedLinesOutcome',
    'countCases',
    'coverageMergeWarnings',
    'createTextParser',
    'describeEvidenceError',
    'evaluateCriteria',
    'evaluateGates',
    'executedCount',
    'formatPercent',
    'gateGroupStatus',
    'judgeableEvidence',
    'mapPaths',
    'mergeCoverage',
    'openTextFile',
    'parseCoverage',
    'parseTestReport',
    'parseTextResults',
    'parseUnifiedDiff',
    'readCoverage',
    'readTestReport',
    'readTextResults',
    'sumCounts',
    'summarize',
  ]);
});
