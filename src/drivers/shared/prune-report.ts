import type { PruneReport } from '../driver.js';

export const NOTHING_REMOVED: PruneReport = { containers: 0, networks: 0, volumes: 0 };

/** What several removals removed together. */
export function totalOf(reports: readonly PruneReport[]): PruneReport {
  return reports.reduce(
    (a, r) => ({
      containers: a.containers + r.containers,
      networks: a.networks + r.networks,
      volumes: a.volumes + r.volumes,
    }),
    NOTHING_REMOVED,
  );
}
