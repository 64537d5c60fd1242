/** Which phases, services, images and checks a run uses, given `--phase` and `--profile`. */
import type { TestPlan } from '../dsl/plan.js';
import { PlanInvalidError, UsageError, type PlanProblem } from '../errors.js';
import { closest } from '../dsl/did-you-mean.js';

/** A phase that runs (or, with `--no-needs`, does not) because selected phases need it. */
export interface NeededPhase {
  readonly phase: string;
  readonly neededBy: readonly string[];
}

export interface SelectionInfo {
  /** The phases `--phase` named; empty when every active phase runs. */
  readonly requested: readonly string[];
  /** Phases not asked for that run because a selected phase needs them. */
  readonly pulledIn: readonly NeededPhase[];
  /** With `--no-needs`: needs of the selected phases that were not run (counted as satisfied). */
  readonly notRun: readonly NeededPhase[];
}

export interface Selection {
  readonly info: SelectionInfo;
  readonly phases: readonly string[];
  readonly services: readonly string[];
  readonly images: readonly string[];
  readonly checks: readonly string[];
  readonly profiles: readonly string[];
}

export interface SelectOptions {
  readonly phases?: readonly string[];
  readonly profiles?: readonly string[];
  /** `false` (`--no-needs`): run the selected phases alone; their needs count as satisfied. */
  readonly needs?: boolean;
}

/** `migrate (needed by e2e), build (needed by migrate)`. */
export function describeNeeded(needed: readonly NeededPhase[]): string {
  return needed.map((n) => `${n.phase} (needed by ${n.neededBy.join(', ')})`).join(', ');
}

/** The lines `plan run` prints (and the report shows) about phases `--phase` pulled in or left out. */
export function selectionNotes(info: SelectionInfo): string[] {
  return [
    ...(info.pulledIn.length ? [`also running ${describeNeeded(info.pulledIn)}`] : []),
    ...(info.notRun.length ? [`not running ${describeNeeded(info.notRun)}: --no-needs counts them as satisfied`] : []),
  ];
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
  if (options.needs === false && !options.phases?.length) {
    throw new UsageError('--no-needs runs the phases chosen with --phase alone: add --phase NAME, or drop --no-needs.');
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
  const neededBy = new Map<string, string[]>();
  const withNeeds = options.needs !== false;
  const visitPhase = (name: string): void => {
    if (phases.has(name)) return;
    phases.add(name);
    const phase = plan.phases[name]!;
    for (const needed of phase.needs) neededBy.set(needed, [...(neededBy.get(needed) ?? []), name]);
    if (!withNeeds) return;
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
  const asked = new Set(options.phases ?? []);
  const needed = (names: readonly string[]): NeededPhase[] =>
    names.map((phase) => ({ phase, neededBy: neededBy.get(phase) ?? [] }));
  const info: SelectionInfo = {
    requested: [...(options.phases ?? [])],
    pulledIn: asked.size === 0 ? [] : needed(orderedPhases.filter((p) => !asked.has(p))),
    notRun: needed(phaseNames.filter((p) => neededBy.has(p) && !phases.has(p))),
  };
  return {
    info,
    phases: orderedPhases,
    services: inPlanOrder(services, Object.keys(plan.services)),
    images: inPlanOrder(images, Object.keys(plan.images)),
    checks,
    profiles: [...chosen],
  };
}
