/** report.md: a pure function of RunResults, modelled on a sprint completion report. */
import { outcomeOf } from '../outcome.js';
import type { RunResults } from '../results.js';
import { renderBlocks, text, type Block } from './blocks.js';
import { comparisonSection } from '../compare/render-comparison.js';
import { changedLinesSection } from './changed-lines.js';
import { failureBlocks } from './failures.js';
import { banner, frontMatter, summaryList, title } from './summary.js';
import { acceptanceSection, gatesSection, nonFunctionalSection, phasesSection, servicesSection } from './tables.js';
import { shardsSection } from './shards.js';
import { timelineSection } from './timeline.js';

export function renderMarkdown(results: RunResults): string {
  return renderBlocks(markdownBlocks(results));
}

/** The report as blocks, for renderers that must shorten the long ones (see the step summary). */
export function markdownBlocks(results: RunResults): Block[] {
  const outcome = outcomeOf(results);
  const sections: (string | undefined)[] = [
    frontMatter(outcome),
    title(results),
    banner(results, outcome),
    summaryList(results, outcome),
    results.baseline && comparisonSection(results.baseline),
    acceptanceSection(results),
    nonFunctionalSection(results),
    gatesSection(results),
    changedLinesSection(results),
    phasesSection(results),
    shardsSection(results),
    servicesSection(results),
  ];
  const blocks: Block[] = sections.filter((s): s is string => s !== undefined).map(text);
  blocks.push(...failureBlocks(results));
  const timeline = timelineSection(results);
  if (timeline) blocks.push(text(timeline));
  return blocks;
}
