/** The commit a run tested, for the report; absent outside a git checkout. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface GitInfo {
  readonly commit: string;
  readonly dirty: boolean;
  readonly branch?: string;
}

export async function gitInfo(cwd: string): Promise<GitInfo | undefined> {
  try {
    const git = (...args: string[]) => exec('git', args, { cwd, timeout: 5000 }).then((r) => r.stdout.trim());
    const [commit, status, branch] = await Promise.all([
      git('rev-parse', 'HEAD'),
      git('status', '--porcelain', '--untracked-files=no'),
      git('rev-parse', '--abbrev-ref', 'HEAD').catch(() => ''),
    ]);
    return { commit, dirty: status.length > 0, ...(branch && branch !== 'HEAD' ? { branch } : {}) };
  } catch {
    return undefined;
  }
}
