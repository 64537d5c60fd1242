/** A run's id and the labels every resource it creates carries (what `plan prune` looks for). */
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { RunIdentity } from '../drivers/driver.js';

/** Longest plan-name part of a run id: the id names folders and containers, which have length limits. */
const MAX_NAME_PART = 40;

export function newRunId(plan: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const safe =
    plan
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'plan';
  const bounded =
    safe.length <= MAX_NAME_PART
      ? safe
      : `${safe.slice(0, MAX_NAME_PART - 7).replace(/-$/, '')}-${createHash('sha256').update(plan).digest('hex').slice(0, 6)}`;
  return `${bounded}-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runIdentity(
  plan: string,
  runId: string,
  outDir: string,
  pid = process.pid,
  host = os.hostname(),
): RunIdentity {
  return {
    runId,
    plan,
    outDir: path.resolve(outDir),
    labels: {
      'testplan.run': runId,
      'testplan.plan': plan,
      'testplan.pid': String(pid),
      'testplan.host': host,
    },
  };
}
