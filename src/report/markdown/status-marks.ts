/** Status words with a mark that reads both on GitHub and in a terminal. */

const MARKS: Readonly<Record<string, string>> = {
  pass: '✅ pass',
  passed: '✅ passed',
  ready: '✅ ready',
  fail: '❌ fail',
  failed: '❌ failed',
  'not-ready': '❌ not ready',
  exited: '❌ exited',
  started: '▶️ started (no probe)',
  unverified: '⚠️ unverified',
  error: '🟥 error',
  skipped: '⏭️ skipped',
  'not-started': '⏭️ not started',
  cancelled: '⏹️ cancelled',
  'not-run': '⏹️ not run',
  'not-selected': '➖ not selected',
  interrupted: '⏹️ interrupted',
};

export function mark(status: string): string {
  return MARKS[status] ?? status;
}
