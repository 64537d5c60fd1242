/** Checks of a valid plan against the file system (kept out of the pure validation rules). */
import { existsSync } from 'node:fs';
import type { TestPlan } from '../dsl/plan.js';
import type { Finding } from '../dsl/validate/problems.js';

/** A bind mount whose host folder is missing fails only when the container is created; say so now. */
export function missingMountSources(plan: TestPlan, exists: (path: string) => boolean = existsSync): Finding[] {
  return Object.values(plan.phases).flatMap((phase) =>
    phase.mounts.flatMap((mount, i): Finding[] =>
      exists(mount.source)
        ? []
        : [
            {
              path: ['phases', phase.name, 'mounts', i, 'source'],
              message: `${mount.source} does not exist: create it, or fix the path (relative to the plan file)`,
            },
          ],
    ),
  );
}
