/** Real git repositories for tests: a temp folder, `git init`, files, commits, branches. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';

const C8 = fileURLToPath(new URL('../../node_modules/.bin/c8', import.meta.url));

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface GitRepo {
  readonly dir: string;
  git(...args: string[]): string;
  write(file: string, text: string): void;
  remove(file: string): void;
  commit(message: string): string;
  /** Runs `node <script>` under real c8 in the repo; returns the lcov text it wrote. */
  c8(script: string): string;
}

export function gitRepo(prefix = 'git'): GitRepo {
  const dir = tempDir(prefix);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write(file, text) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    },
    remove(file) {
      rmSync(path.join(dir, file));
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    c8(script) {
      const reports = path.join(dir, '.cov');
      // Under tap, every child node gets tap's coverage hook, which takes V8's coverage away from c8.
      const env = { ...ENV, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
      execFileSync(C8, ['--reporter=lcovonly', `--reports-dir=${reports}`, 'node', script], { cwd: dir, env });
      return execFileSync('cat', [path.join(reports, 'lcov.info')], { encoding: 'utf8' });
    },
  };
}
