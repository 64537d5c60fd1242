import type { PlanInput, SecretInput } from './types.js';

/** Identity function: it exists so that the plan's names stay literal types and references are checked. */
export function defineTestPlan<const I extends string = never, const S extends string = never, const P extends string = never>(
  plan: PlanInput<I, S, P>,
): PlanInput<I, S, P> {
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
