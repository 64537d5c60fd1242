/**
 * Phases that can run at the same time and share one instance of a service can break each other (one
 * flushes what the other just wrote). A run-scoped service used by two phases with no needs/after path
 * between them is a warning, unless the plan said how it is shared: `exclusive: true` (one phase at a
 * time), `scope: 'phase'` (an instance each) or `scope: 'run'` written out ("sharing is safe").
 */
import type { PlanWarning } from '../dsl/plan-warning.js';
import type { TestPlan } from '../dsl/plan.js';

/** Every phase each phase comes after, directly or not, through `needs` and `after` among `phases`. */
function orderedBefore(plan: TestPlan, phases: readonly string[]): Map<string, Set<string>> {
  const inRun = new Set(phases);
  const before = new Map<string, Set<string>>();
  const visit = (phase: string): Set<string> => {
    const known = before.get(phase);
    if (known) return known;
    const found = new Set<string>();
    before.set(phase, found); // validation rejected cycles; this guards the recursion anyway
    const spec = plan.phases[phase]!;
    for (const earlier of [...spec.needs, ...spec.after]) {
      if (!inRun.has(earlier)) continue;
      found.add(earlier);
      for (const e of visit(earlier)) found.add(e);
    }
    return found;
  };
  phases.forEach(visit);
  return before;
}

/**
 * Warnings for the phases of a run (default: every phase of the plan). With `concurrency` 1 nothing
 * runs at the same time, so there is nothing to warn about.
 */
export function sharingWarnings(
  plan: TestPlan,
  phases: readonly string[] = Object.keys(plan.phases),
  concurrency?: number,
): PlanWarning[] {
  if (concurrency === 1) return [];
  const before = orderedBefore(plan, phases);
  const ordered = (a: string, b: string): boolean => before.get(a)!.has(b) || before.get(b)!.has(a);
  const exclusiveOf = (phase: string): string[] =>
    plan.phases[phase]!.services.filter((s) => plan.services[s]!.scope === 'run' && plan.services[s]!.exclusive);
  // Two phases holding the same exclusive service never overlap.
  const serialised = (a: string, b: string): boolean => exclusiveOf(a).some((s) => exclusiveOf(b).includes(s));
  const warnings: PlanWarning[] = [];
  for (const service of Object.values(plan.services)) {
    if (service.scope !== 'run' || service.exclusive || service.scopeWritten) continue;
    // A sharded phase uses its shards' own instances, never the shared one.
    const users = phases.filter((p) => !plan.phases[p]!.shard && plan.phases[p]!.services.includes(service.name));
    const pair = users
      .flatMap((a, i) => users.slice(i + 1).map((b): [string, string] => [a, b]))
      .find(([a, b]) => !ordered(a, b) && !serialised(a, b));
    if (!pair) continue;
    warnings.push({
      path: `services.${service.name}`,
      message:
        `phases ${pair[0]} and ${pair[1]} can run at the same time and share one ${service.name}, so they can break each other's data. ` +
        `Give each phase its own (scope: 'phase'), let them use it one at a time (exclusive: true), ` +
        `or write scope: 'run' to say sharing is safe`,
    });
  }
  return warnings;
}
