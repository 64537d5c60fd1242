/**
 * Docker-dependent tests call `requireEngine(t)` first. In CI (CI=true) an engine that does not
 * answer is a failure; elsewhere the test skips with one line saying how to enable it.
 */
import { execFileSync } from 'node:child_process';
import type { Test } from 'tap';

let answered: boolean | undefined;

export function engineAnswers(): boolean {
  if (answered === undefined) {
    try {
      execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 });
      answered = true;
    } catch {
      answered = false;
    }
  }
  return answered;
}

export const ENGINE_SKIP_REASON =
  'no Docker engine answers: run `bash scripts/docker-engine.sh` (or start Docker) to run the engine tests';

/** Returns true when the test may go on against the real engine; otherwise it skips (plan 0) or, in CI, fails. */
export function requireEngine(t: Pick<Test, 'plan' | 'fail'>): boolean {
  return requireOrSkip(t, engineAnswers(), ENGINE_SKIP_REASON);
}

/** When `available`, true; otherwise the test skips with `reason` (plan 0), or fails under CI=true. */
export function requireOrSkip(t: Pick<Test, 'plan' | 'fail'>, available: boolean, reason: string): boolean {
  if (available) return true;
  if (process.env.CI === 'true') {
    t.fail(`CI=true but ${reason}`);
    return false;
  }
  t.plan(0, reason);
  return false;
}
