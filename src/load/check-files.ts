/** Checks of a valid plan against the file system (kept out of the pure validation rules). */
import { existsSync } from 'node:fs';
import type { MountSpec, TestPlan } from '../dsl/plan.js';
import type { Finding, Path } from '../dsl/validate/problems.js';

/** A bind mount whose host folder is missing fails only when the container is created; say so now. */
export function missingMountSources(plan: TestPlan, exists: (path: string) => boolean = existsSync): Finding[] {
  const missing = (mounts: readonly MountSpec[], path: Path): Finding[] =>
    mounts.flatMap((mount, i): Finding[] =>
      exists(mount.source)
        ? []
        : [
            {
              path: [...path, i, 'source'],
              message: `${mount.source} does not exist: create it, or fix the path (relative to the plan file)`,
            },
          ],
    );
  return [
    ...Object.values(plan.services).flatMap((s) => missing(s.mounts, ['services', s.name, 'mounts'])),
    ...Object.values(plan.phases).flatMap((p) => missing(p.mounts, ['phases', p.name, 'mounts'])),
  ];
}
