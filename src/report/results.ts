/**
 * results.json: everything a run learned. Every other output (report.md, junit.xml, the GitHub
 * step summary) is rendered from it. The types are derived from the one schema in results-schema.ts;
 * bump RESULTS_VERSION there on any incompatible change.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type {
  BaselineSchema,
  PhaseAttemptSchema,
  PhaseCacheSchema,
  PhaseResultSchema,
  PhaseShardsSchema,
  RunResultsSchema,
  ServiceResultSchema,
  StepTimingSchema,
} from './results-schema.js';

export { RESULTS_VERSION } from './results-schema.js';
export type { Verdict } from './verdict.js';

/** Results are values: nothing downstream of the run changes them. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type Of<S extends TSchema> = DeepReadonly<Static<S>>;

export type RunResults = Of<typeof RunResultsSchema>;
export type StepTiming = Of<typeof StepTimingSchema>;
export type PhaseAttempt = Of<typeof PhaseAttemptSchema>;
export type PhaseResult = Of<typeof PhaseResultSchema>;
export type PhaseStatus = PhaseResult['status'];
export type PhaseShards = Of<typeof PhaseShardsSchema>;
export type ShardResult = PhaseShards['list'][number];
export type PhaseCache = Of<typeof PhaseCacheSchema>;
export type ServiceResult = Of<typeof ServiceResultSchema>;
export type BaselineComparison = Of<typeof BaselineSchema>;
