/** Where a phase's files go on the host, and which container paths it leaves evidence at. */
import path from 'node:path';
import type { PhaseSpec } from '../dsl/plan.js';

export function phaseOutputDir(outDir: string, phase: string): string {
  return path.join(outDir, 'phases', phase);
}

/** A shard's own folder under its phase's, so shards' copies of the same path never collide. */
export function shardOutputDir(outDir: string, phase: string, index: number): string {
  return path.join(phaseOutputDir(outDir, phase), 'shards', String(index));
}

/** The container paths a phase's evidence and artifacts live at. */
export function phaseCollectPaths(phase: PhaseSpec): string[] {
  return [
    ...(phase.results?.path !== undefined ? [phase.results.path] : []),
    ...(phase.coverage ? [phase.coverage.path] : []),
    ...phase.artifacts,
  ];
}
