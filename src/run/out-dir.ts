/**
 * The run's output folder: refused when it cannot hold results (a file, a special file system,
 * a folder we cannot write), and locked for the run so two runs never mix their results in one
 * folder. The lock is a file created exclusively, holding the owner's pid; a lock whose process is
 * gone (a killed run) is taken over.
 */
import { mkdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

export const LOCK_FILE = '.testplan-run.lock';

/** Kernel file systems: writing results there is never meant (and /proc can make a write spin). */
const SPECIAL = ['/proc', '/sys', '/dev'];

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly runId: string;
  readonly plan: string;
  readonly startedAt: string;
}

export interface OutDirLock {
  readonly dir: string;
  release(): void;
}

export interface OutDirOptions {
  readonly runId: string;
  readonly plan: string;
  /** How the folder was given, for messages (`--out x` or the default). */
  readonly shown: string;
  readonly pid?: number;
  readonly host?: string;
  readonly now?: Date;
  readonly isAlive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The real path of `dir`, or of its nearest existing ancestor with the rest appended. */
function realTarget(dir: string): string {
  let existing = dir;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return dir;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

function refuse(shown: string, why: string): never {
  throw new UsageError(`${shown}: ${why}`);
}

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Checks `dir` can hold results and creates it; throws UsageError (exit 2) naming the problem. */
export function prepareOutDir(dir: string, shown: string): void {
  const real = realTarget(path.resolve(dir));
  const special = SPECIAL.find((root) => real === root || real.startsWith(`${root}/`));
  if (special)
    refuse(
      shown,
      `${special} is a special file system, not a folder for results: choose a folder of your own, e.g. --out .testplan/out`,
    );
  try {
    if (!statSync(dir).isDirectory())
      refuse(shown, 'is a file, not a folder: name a folder for the results (it is created if missing)');
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    refuse(shown, `cannot create the output folder (${reason(error)}): choose a folder you can write to`);
  }
}

/** Checks and creates `dir`, then locks it for this run; throws UsageError (exit 2) naming the problem. */
export function lockOutDir(dir: string, options: OutDirOptions): OutDirLock {
  const { shown } = options;
  prepareOutDir(dir, shown);
  const file = path.join(dir, LOCK_FILE);
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.host ?? os.hostname(),
    runId: options.runId,
    plan: options.plan,
    startedAt: (options.now ?? new Date()).toISOString(),
  };
  const alive = options.isAlive ?? processAlive;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        refuse(shown, `cannot write in the output folder (${reason(error)}): choose a folder you can write to`);
      const other = readOwner(file);
      // A lock being written right now reads as nothing: only an old unreadable lock is stale.
      const stale =
        other === undefined
          ? Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000
          : other.host === owner.host && !alive(other.pid);
      if (!stale || attempt > 0) {
        const who = other
          ? `run ${other.runId} of plan ${other.plan} (pid ${other.pid} on ${other.host}, started ${other.startedAt})`
          : 'another run';
        refuse(shown, `is in use by ${who}: give this run its own folder with --out, or wait for that run to finish`);
      }
      unlinkSync(file); // the owner is gone (a killed run): take the folder over
    }
  }
  return {
    dir,
    release() {
      if (readOwner(file)?.pid === owner.pid && readOwner(file)?.runId === owner.runId) unlinkSync(file);
    },
  };
}
