import type { PhaseInput, PlanInput, SecretInput, ServiceInput } from './types.js';

/** Identity function: it exists so that the plan's names stay literal types and references are checked. */
export function defineTestPlan<
  const I extends string = never,
  const S extends string = never,
  const P extends string = never,
>(plan: PlanInput<I, S, P>): PlanInput<I, S, P> {
  return plan;
}

/** A value that is passed to containers but never printed or stored. */
export function secret(value: string): SecretInput {
  return { secret: value };
}

/** A secret read from the runner's environment when the run starts. */
export function secretFromEnv(name: string): SecretInput {
  return { secretFromEnv: name };
}

/**
 * Identity helpers for phases and services built outside the plan (in a function, another file or a
 * loop): the `const` type parameter keeps their strings literal, so they fit the plan without
 * `as const`, and the plan still checks their names (`needs`, `services`, `image`).
 */
export function definePhase<const T extends PhaseInput<string, string, string>>(phase: T): T {
  return phase;
}

export function defineService<const T extends ServiceInput<string, string>>(service: T): T {
  return service;
}
