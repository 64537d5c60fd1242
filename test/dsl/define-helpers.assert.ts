/**
 * Type tests (checked by tsc, `npm run typecheck`): phases and services built by helpers fit a plan
 * without `as const`, and the plan still rejects names it does not define.
 */
import {
  definePhase,
  defineService,
  defineTestPlan,
  secret,
  type PhaseInput,
  type PlanInput,
  type ServiceInput,
} from '../../src/index.js';

export function shard(index: number) {
  return definePhase({
    image: 'app',
    run: `npm test -- --shard ${index}`,
    needs: ['build'],
    services: ['pg'],
    retries: 1,
    timeout: '5m',
  });
}
const pg = defineService({
  image: 'postgres:15',
  env: { POSTGRES_PASSWORD: secret('long-password') },
  ready: { preset: 'postgres' },
});
const fixture = defineService({ image: 'testplan-fixture/redis', ready: { preset: 'redis' } });

export const plan = defineTestPlan({
  name: 'helpers',
  images: { app: { build: { context: '.' } } },
  services: { pg, fixture },
  phases: { build: definePhase({ image: 'app', run: 'npm run build' }), a: shard(1), b: shard(2) },
});
export const typed: PlanInput = plan;
export const aPhase: PhaseInput<'app', 'pg', 'build'> = shard(3);
export const aService: ServiceInput<never, never> = pg;

// A helper's reference to a phase the plan does not define is still a type error in the plan.
defineTestPlan({
  name: 'x',
  // @ts-expect-error 'nope' is not a phase of this plan
  phases: { a: definePhase({ image: 'node:20', run: 'x', needs: ['nope'] }) },
});

// Without the helper, a phase object built in a function loses its literal types and does not fit.
function plainPhase() {
  return { image: 'node:20', run: 'x' };
}
// @ts-expect-error image: string is not an image reference
defineTestPlan({ name: 'x', phases: { a: plainPhase() } });

// `after` names phases like `needs`: a typo is a type error, a known phase is fine; scope and exclusive are typed.
export const ordered = defineTestPlan({
  name: 'ordered',
  concurrency: 2,
  services: { db: { image: 'postgres:15', scope: 'phase' }, redis: { image: 'redis:7', exclusive: true } },
  phases: { a: { image: 'node:20', run: 'x', services: ['db'] }, b: { image: 'node:20', run: 'x', after: ['a'] } },
});
defineTestPlan({
  name: 'x',
  // @ts-expect-error 'aa' is not a phase of this plan
  phases: { a: { image: 'node:20', run: 'x' }, b: { image: 'node:20', run: 'x', after: ['aa'] } },
});
defineTestPlan({
  name: 'x',
  // @ts-expect-error scope is 'run' or 'phase'
  services: { db: { image: 'postgres:15', scope: 'test' } },
  phases: { a: { image: 'node:20', run: 'x' } },
});
