/** Which plan file a command works on: the one named, or the single one discovered under plans/. */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { discoverPlans } from '../load/discover.js';

export async function choosePlanFile(cwd: string, given: string | undefined): Promise<string> {
  if (given) return path.resolve(cwd, given);
  const found = await discoverPlans(cwd);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UsageError(
      `no plan file found under ${path.join(cwd, 'plans')} (plans/*.plan.{ts,yaml,yml,js}). Pass a plan file, or create one with defineTestPlan.`,
    );
  }
  throw new UsageError(
    `several plans found: ${found.map((f) => path.relative(cwd, f)).join(', ')}. Name the one to use, e.g. \`plan run ${path.relative(cwd, found[0]!)}\`.`,
  );
}
