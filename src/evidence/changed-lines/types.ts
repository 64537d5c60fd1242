/** What changed since a base commit, as the changed-lines coverage gate sees it. Pure data. */

export interface ChangedFile {
  /** Repository-relative path in the working tree (the new name of a renamed file). */
  readonly path: string;
  /** The old name, when git saw a rename. */
  readonly from?: string;
  /** Added or edited non-blank lines, numbered in the new file, ascending. */
  readonly lines: readonly number[];
  /** Not known to git yet (counted whole). */
  readonly untracked?: boolean;
}

export interface ChangeSet {
  /** The ref the plan names (`origin/main`). */
  readonly base: string;
  /** The commit the change is measured from: the merge-base of `base` and HEAD. */
  readonly mergeBase: string;
  /** Absolute path of the repository's top folder: changed paths are relative to it. */
  readonly root: string;
  readonly files: readonly ChangedFile[];
  /** What was left out while reading (untracked files too large or binary), for the gate's message. */
  readonly notes?: readonly string[];
}

/** The change set, or why it could not be read (base unknown, not a git repository). */
export type ChangeSetResult =
  | { readonly ok: true; readonly value: ChangeSet }
  | { readonly ok: false; readonly error: string };
