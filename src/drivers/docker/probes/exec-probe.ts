/** Runs a command in the service container; ready when it exits 0 (and its output matches `expect`). */
import type { ExecPort } from '../engine/engine.js';
import { describeError, type ProbeAttempt } from '../../shared/probe-result.js';

export function execProbe(
  exec: ExecPort,
  containerId: string,
  command: readonly string[],
  expect?: string,
): ProbeAttempt {
  const pattern = expect !== undefined ? new RegExp(expect) : undefined;
  return async (signal) => {
    try {
      const { exitCode, output } = await exec.run(containerId, command, signal);
      const ok = exitCode === 0 && (pattern === undefined || pattern.test(output));
      const note = exitCode === 0 && !ok ? ` (output does not match /${expect}/)` : '';
      return { ok, output: `exit ${exitCode ?? '?'}${note}: ${output.trim()}` };
    } catch (err) {
      return { ok: false, output: describeError(err) };
    }
  };
}
