/** Which phases, services, images and checks a run uses, given `--phase` and `--profile`. */
import type { TestPlan } from '../dsl/plan.js';
import { PlanInvalidError, UsageError, type PlanProblem } from '../errors.js';
import { closest } from '../dsl/did-you-mean.js';

export interface Selection {
  readonly phases: readonly string[];
  readonly services: readonly string[];
  readonly images: readonly string[];
  readonly checks: readonly string[];
  readonly profiles: readonly string[];
}

export interface SelectOptions {
  readonly phases?: readonly string[];
  readonly profiles?: readonly string[];
}

function isActive(profiles: readonly string[], chosen: ReadonlySet<string>): boolean {
  return profiles.length === 0 || profiles.some((p) => chosen.has(p));
}

function describeProfiles(profiles: readonly string[]): string {
  return profiles.map((p) => `'${p}'`).join(' or ');
}

export function selectForRun(plan: TestPlan, options: SelectOptions = {}): Selection {
  const chosen = new Set(options.profiles ?? []);
  const phaseNames = Object.keys(plan.phases);
  const problems: PlanProblem[] = [];

  for (const name of options.phases ?? []) {
    if (!plan.phases[name]) {
      const hint = closest(name, phaseNames);
      throw new UsageError(
        `--phase ${name}: the plan ${plan.name} has no phase '${name}'.${hint ? ` Did you mean '${hint}'?` : ''} Phases: ${phaseNames.join(', ')}.`,
      );
    }
  }
  const known = new Set(
    [...Object.values(plan.phases), ...Object.values(plan.services)].flatMap((item) => item.profiles),
  );
  for (const profile of options.profiles ?? []) {
    if (known.has(profile)) continue;
    const hint = closest(profile, known);
    const choices = known.size > 0 ? ` Profiles: ${[...known].join(', ')}.` : ' It defines no profiles.';
    throw new UsageError(
      `--profile ${profile}: the plan ${plan.name} has no profile '${profile}'.${hint ? ` Did you mean '${hint}'?` : ''}${choices}`,
    );
  }
  const requested = options.phases?.length
    ? options.phases
    : phaseNames.filter((name) => isActive(plan.phases[name]!.profiles, chosen));

  const phases = new Set<string>();
  const visitPhase = (name: string): void => {
    if (phases.has(name)) return;
    phases.add(name);
    const phase = plan.phases[name]!;
    phase.needs.forEach((needed, i) => {
      const dep = plan.phases[needed]!;
      if (!isActive(dep.profiles, chosen)) {
        problems.push({
          file: plan.file,
          path: `phases.${name}.needs[${i}]`,
          message: `phase '${needed}' only runs with profile ${describeProfiles(dep.profiles)}, which this run does not select. Add --profile ${dep.profiles[0]} or remove the need.`,
        });
      }
      visitPhase(needed);
    });
  };
  requested.forEach(visitPhase);

  const services = new Set<string>();
  const visitService = (name: string, from: string): void => {
    const service = plan.services[name]!;
    if (!isActive(service.profiles, chosen)) {
      problems.push({
        file: plan.file,
        path: from,
        message: `service '${name}' only runs with profile ${describeProfiles(service.profiles)}, which this run does not select. Add --profile ${service.profiles[0]} or remove the reference.`,
      });
    }
    if (services.has(name)) return;
    services.add(name);
    service.dependsOn.forEach((dep, i) => visitService(dep, `services.${name}.dependsOn[${i}]`));
  };
  const orderedPhases = phaseNames.filter((name) => phases.has(name));
  for (const name of orderedPhases) {
    plan.phases[name]!.services.forEach((svc, i) => visitService(svc, `phases.${name}.services[${i}]`));
  }
  if (problems.length > 0) throw new PlanInvalidError(problems);

  const checks = Object.keys(plan.checks);
  const images = new Set<string>();
  const useImage = (use: { kind: string; name?: string }): void => {
    if (use.kind === 'plan' && use.name) images.add(use.name);
  };
  orderedPhases.forEach((name) => useImage(plan.phases[name]!.image));
  services.forEach((name) => useImage(plan.services[name]!.image));
  checks.forEach((name) => useImage(plan.checks[name]!.image));

  const inPlanOrder = (names: Set<string>, all: readonly string[]): string[] => all.filter((n) => names.has(n));
  return {
    phases: orderedPhases,
    services: inPlanOrder(services, Object.keys(plan.services)),
    images: inPlanOrder(images, Object.keys(plan.images)),
    checks,
    profiles: [...chosen],
  };
}
