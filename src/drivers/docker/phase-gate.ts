/**
 * A phase container started ahead of its step and held at a gate. Starting a container costs the
 * engine ~200 ms (namespaces, network endpoint, mounts); a gated one starts while services get ready
 * or an earlier phase runs, so the phase's own step is left with "go" and its command.
 *
 * The gate is the container's first process: a shell that waits for one line on stdin and only on
 * `go` execs the image's entrypoint with the phase's command, stdin from /dev/null (a phase has none)
 * and the same PID, user, env and working directory, so the command runs as it would have. The gate
 * writes no file and prints nothing unless released before `go`. Only commands that run the image's
 * `sh` anyway (a string `run`) are gated: the gate needs that same shell.
 */
import type { OnOutput, OutputStream } from './engine/engine.js';

export const GO_LINE = 'go\n';

const GATE_SCRIPT =
  'IFS= read -r line && [ "$line" = go ] && exec "$@" </dev/null; ' +
  'echo "testplan: this phase container was released before its phase ran" >&2; exit 125';

/**
 * The container's entrypoint with the gate in front of the image's (the command stays as it is), or
 * undefined when the command does not run `sh`.
 */
export function gateEntrypoint(
  imageEntrypoint: readonly string[] | undefined,
  command: readonly string[],
): readonly string[] | undefined {
  const shell = command[0];
  if (shell !== 'sh' && shell !== '/bin/sh') return undefined;
  return [shell, '-c', GATE_SCRIPT, 'testplan-gate', ...(imageEntrypoint ?? [])];
}

/** Output that arrives before anyone listens is kept until `to` names the listener. */
export class OutputRouter {
  private listener: OnOutput | undefined;
  private early: { chunk: Buffer; stream: OutputStream }[] = [];

  readonly onOutput: OnOutput = (chunk, stream) => {
    if (this.listener) this.listener(chunk, stream);
    else this.early.push({ chunk, stream });
  };

  to(listener: OnOutput): void {
    for (const { chunk, stream } of this.early) listener(chunk, stream);
    this.early = [];
    this.listener = listener;
  }
}
