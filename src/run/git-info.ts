/** The commit a run tested, for the report; absent outside a git checkout. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface GitInfo {
  readonly commit: string;
  readonly dirty: boolean;
  readonly branch?: string;
}

/** Reads `git status --porcelain=v2 --branch`: commit, branch and dirty state from one process. */
export function parseGitStatus(text: string): GitInfo | undefined {
  let commit: string | undefined;
  let branch: string | undefined;
  let dirty = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = line.slice('# branch.oid '.length).trim();
    else if (line.startsWith('# branch.head ')) branch = line.slice('# branch.head '.length).trim();
    else if (line.trim() !== '' && !line.startsWith('#')) dirty = true;
  }
  if (!commit || commit === '(initial)') return undefined;
  return { commit, dirty, ...(branch && branch !== '(detached)' ? { branch } : {}) };
}

export async function gitInfo(cwd: string): Promise<GitInfo | undefined> {
  try {
    const { stdout } = await exec('git', ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], {
      cwd,
      timeout: 5000,
    });
    return parseGitStatus(stdout);
  } catch {
    return undefined;
  }
}
