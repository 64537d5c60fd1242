/**
 * The 3-node swarm of scripts/swarm.sh for tests: started once (idempotent; ~25 s the first time,
 * then the script answers "already up"), left up for the next test file; `bash scripts/swarm.sh down`
 * removes it. Under CI=true a machine that cannot run it fails the test; elsewhere it skips with one line.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Test } from 'tap';
import { canStartDockerd } from './dockerd.js';
import { requireOrSkip } from './engine.js';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/swarm.sh');

export const SWARM_SKIP_REASON =
  'a local swarm cannot start here (needs root, dockerd, ip and nsenter): run as root on a machine with docker.io';

export interface SwarmEnv {
  readonly DOCKER_HOST: string;
  readonly TESTPLAN_SWARM_REGISTRY: string;
}

/** The swarm's variables, after starting it when needed; undefined when the test skipped or failed. */
export function requireSwarm(t: Pick<Test, 'plan' | 'fail'>): SwarmEnv | undefined {
  if (!requireOrSkip(t, canStartDockerd(), SWARM_SKIP_REASON)) return undefined;
  let out: string;
  try {
    out = execFileSync('bash', [SCRIPT, 'up'], {
      encoding: 'utf8',
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim().split('\n').slice(-5).join('\n') ?? String(err);
    requireOrSkip(t, false, `scripts/swarm.sh up failed here: ${why}`);
    return undefined;
  }
  const vars = Object.fromEntries(
    out
      .split('\n')
      .map((l) => l.match(/^([A-Z_]+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  if (!vars.DOCKER_HOST || !vars.TESTPLAN_SWARM_REGISTRY) {
    t.fail(`scripts/swarm.sh up printed no DOCKER_HOST/TESTPLAN_SWARM_REGISTRY:\n${out}`);
    return undefined;
  }
  return { DOCKER_HOST: vars.DOCKER_HOST, TESTPLAN_SWARM_REGISTRY: vars.TESTPLAN_SWARM_REGISTRY };
}
