import type { CoverageMetric } from './types.js';

/** The four coverage metrics, in the order every output lists them. */
export const COVERAGE_METRICS: readonly CoverageMetric[] = ['lines', 'branches', 'functions', 'statements'];
