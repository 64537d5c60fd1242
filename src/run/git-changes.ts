/**
 * What changed since a base ref, for the changed-lines coverage gate: `git diff -U0 -M` from the
 * merge-base of the base and HEAD to the working tree (committed, staged and unstaged changes, renames
 * followed), plus untracked files that .gitignore does not exclude, counted whole — the working tree is
 * what the run tested, and a new module not yet `git add`ed is part of the change.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { addedFile, parseUnifiedDiff, type ChangedFile, type ChangeSetResult } from '../evidence/index.js';

const exec = promisify(execFile);

/** Untracked files larger than this are not read (generated output, data); the gate's message names them. */
export const MAX_UNTRACKED_BYTES = 2 * 1024 * 1024;
/** Beyond this many untracked files the rest are not read (a missing .gitignore entry, most likely). */
export const MAX_UNTRACKED_FILES = 2_000;

type Git = (args: readonly string[], cwd: string) => Promise<string>;

const runGit: Git = async (args, cwd) =>
  (
    await exec('git', [...args], {
      cwd,
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    })
  ).stdout;

const firstLine = (error: unknown): string =>
  ((error as { stderr?: string }).stderr || (error as Error).message || String(error)).trim().split('\n')[0] ?? '';

export async function readChanges(dir: string, base: string, git: Git = runGit): Promise<ChangeSetResult> {
  const fail = (error: string): ChangeSetResult => ({ ok: false, error });
  let root: string;
  try {
    root = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
  } catch (error) {
    return fail(
      `the plan's folder ${dir} is not inside a git repository (${firstLine(error)}): the changed-lines gate needs one`,
    );
  }
  let baseCommit: string;
  try {
    baseCommit = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`], root)).trim();
  } catch {
    return fail(
      `gates.coverage.changed.base '${base}' is not a commit in ${root}: fetch it (e.g. git fetch origin main) or name an existing branch`,
    );
  }
  let mergeBase: string;
  try {
    mergeBase = (await git(['merge-base', baseCommit, 'HEAD'], root)).trim();
  } catch (error) {
    return fail(
      `no merge-base of '${base}' and HEAD in ${root} (${firstLine(error) || 'no common history'}): in a shallow clone, fetch more history (git fetch --unshallow)`,
    );
  }
  try {
    const diff = await git(
      [
        '-c',
        'core.quotePath=false',
        'diff',
        '-U0',
        '-M',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--no-relative',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        mergeBase,
        '--',
      ],
      root,
    );
    const untracked = await readUntracked(root, git);
    const files: ChangedFile[] = [...parseUnifiedDiff(diff), ...untracked.files];
    return {
      ok: true,
      value: { base, mergeBase, root, files, ...(untracked.notes.length ? { notes: untracked.notes } : {}) },
    };
  } catch (error) {
    return fail(`git could not list the changes since '${base}' in ${root}: ${firstLine(error)}`);
  }
}

async function readUntracked(root: string, git: Git): Promise<{ files: ChangedFile[]; notes: string[] }> {
  const names = (await git(['ls-files', '--others', '--exclude-standard', '-z'], root)).split('\0').filter(Boolean);
  const files: ChangedFile[] = [];
  const skipped: string[] = [];
  for (const name of names.slice(0, MAX_UNTRACKED_FILES)) {
    const file = path.join(root, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (info.size > MAX_UNTRACKED_BYTES) {
      skipped.push(`${name} (${info.size} bytes)`);
      continue;
    }
    const bytes = await readFile(file);
    if (bytes.includes(0)) continue; // binary
    files.push(addedFile(name, bytes.toString('utf8')));
  }
  const notes = skipped.map((s) => `untracked ${s} not read: larger than ${MAX_UNTRACKED_BYTES} bytes`);
  if (names.length > MAX_UNTRACKED_FILES)
    notes.push(
      `${names.length - MAX_UNTRACKED_FILES} more untracked files not read: add them to .gitignore, or commit them`,
    );
  return { files, notes };
}
