/** Checks of a valid plan against the file system (kept out of the pure validation rules). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
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

const isKind = (path: string, kind: 'file' | 'folder'): boolean => {
  try {
    const stat = statSync(path);
    return kind === 'file' ? stat.isFile() : stat.isDirectory();
  } catch {
    return false;
  }
};

/** A build whose context folder or Dockerfile is missing fails only when the build starts; say so now. */
export function missingBuildFiles(
  plan: TestPlan,
  is: (path: string, kind: 'file' | 'folder') => boolean = isKind,
): Finding[] {
  return Object.values(plan.images).flatMap((image): Finding[] => {
    if (image.kind !== 'build') return [];
    const path: Path = ['images', image.name, 'build'];
    if (!is(image.context, 'folder'))
      return [
        {
          path: [...path, 'context'],
          message: `${image.context} is not a folder: write the build context's path relative to the plan file`,
        },
      ];
    const dockerfile = resolve(image.context, image.dockerfile);
    if (is(dockerfile, 'file')) return [];
    return [
      {
        path: [...path, 'dockerfile'],
        message: `${dockerfile} does not exist: 'dockerfile' is relative to the build context (${image.context}); fix the path or create the file`,
      },
    ];
  });
}
