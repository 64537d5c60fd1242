/**
 * Secrets that masking cannot handle well: a short value, or one that is also a name in the plan,
 * is masked wherever it appears in free text and then hides ordinary words. Warnings, never
 * errors; they never quote the value.
 */
import type { PlanWarning } from './plan-warning.js';
import type { TestPlan } from './plan.js';

export const MIN_SECRET_LENGTH = 6;

function namesOf(plan: TestPlan): [kind: string, name: string][] {
  const refs = [
    ...Object.values(plan.images).flatMap((i) => (i.kind === 'ref' ? [i.ref] : [])),
    ...[...Object.values(plan.services), ...Object.values(plan.phases), ...Object.values(plan.checks)].flatMap((x) =>
      x.image.kind === 'ref' ? [x.image.ref] : [],
    ),
  ];
  return [
    ['the plan name', plan.name],
    ...Object.keys(plan.images).map((n): [string, string] => ['an image name', n]),
    ...Object.keys(plan.services).map((n): [string, string] => ['a service name', n]),
    ...Object.keys(plan.phases).map((n): [string, string] => ['a phase name', n]),
    ...refs.flatMap((ref): [string, string][] => [
      ['an image reference', ref],
      ['an image name', ref.split(/[:@]/)[0]!.split('/').pop()!],
    ]),
  ];
}

export function secretWarnings(plan: TestPlan): PlanWarning[] {
  const names = namesOf(plan);
  const warnings: PlanWarning[] = [];
  for (const secret of plan.secrets) {
    const value = secret.reveal();
    if (value === '') continue; // an unset secretFromEnv is reported by validation
    const clash = names.find(([, name]) => name === value);
    if (clash) {
      warnings.push({
        path: secret.source,
        message: `the secret equals ${clash[0]} in this plan, so masking it would hide that name in logs and reports: use a different secret value`,
      });
    } else if (value.length < MIN_SECRET_LENGTH) {
      warnings.push({
        path: secret.source,
        message: `the secret is shorter than ${MIN_SECRET_LENGTH} characters, so masking it would hide ordinary text in logs and reports: use a longer secret`,
      });
    }
  }
  return warnings;
}
