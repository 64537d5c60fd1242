/** A whole `runPlan` on the recording fake driver, into a fresh output folder: the run layer's tests in one call. */
import { compilePlan } from '../../src/compile/compile.js';
import type { TestPlan } from '../../src/dsl/plan.js';
import type { RunResults } from '../../src/report/results.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { FakeDriver, type FakeBehaviour } from './fake-driver.js';
import { tempDir } from './temp-dir.js';

export interface FakeRunOptions {
  /** `--phase` selection. */
  readonly phases?: readonly string[];
  readonly signal?: AbortSignal;
}

export async function runOnFake(
  plan: TestPlan,
  behaviour: FakeBehaviour,
  options: FakeRunOptions = {},
): Promise<{ results: RunResults; outDir: string }> {
  const outDir = tempDir('fake-run');
  const results = await runPlan({
    plan,
    graph: compilePlan(plan, options.phases ? { phases: [...options.phases] } : {}),
    driver: new FakeDriver(behaviour),
    run: runIdentity(plan.name, 'run-1', outDir),
    signal: options.signal ?? new AbortController().signal,
    onEvent: () => {},
  });
  return { results, outDir };
}
