/**
 * `TESTPLAN_PROFILE=1`: where a `plan run` spends its wall time, on stderr, in ms since the process
 * started (start-up milestones and every step's start and end). A measuring aid for bench/ work;
 * off by default, and then every call is a no-op.
 */
import { performance } from 'node:perf_hooks';
import type { RunEvent } from '../execute/events.js';

export interface Profile {
  mark(label: string): void;
  /** Marks `label` when `work` settles (nothing is awaited or thrown). */
  settled(work: Promise<unknown>, label: string): void;
  readonly onEvent: (event: RunEvent) => void;
}

const OFF: Profile = { mark: () => {}, settled: () => {}, onEvent: () => {} };

export function createProfile(env: NodeJS.ProcessEnv, write: (text: string) => void): Profile {
  if (env.TESTPLAN_PROFILE !== '1') return OFF;
  const line = (sinceStartMs: number, label: string): void =>
    write(`[profile] ${sinceStartMs.toFixed(1).padStart(8)} ms  ${label}\n`);
  // Event times are epoch ms (Date.now); the process started at performance.timeOrigin.
  const sinceStart = (epochMs: number): number => epochMs - performance.timeOrigin;
  return {
    mark: (label) => line(performance.now(), label),
    settled: (work, label) => {
      const done = (): void => line(performance.now(), label);
      work.then(done, done);
    },
    onEvent: (event) => {
      if (event.kind === 'step-started') line(sinceStart(event.at), `start  ${event.step.id}`);
      else if (event.kind === 'step-finished')
        line(sinceStart(event.at), `end    ${event.step.id} (${event.status}, ${Math.round(event.durationMs)} ms)`);
      else if (event.kind === 'run-started') line(sinceStart(event.at), 'run started');
    },
  };
}
