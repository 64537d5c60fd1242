/**
 * Rules for what Docker would refuse only once the run has started (exit 3 after minutes of
 * building): empty commands, malformed image references, relative container paths, durations of
 * zero or of a year and more.
 */
import type { RuleContext } from './context.js';
import type { Path } from './problems.js';
import { parseDuration } from '../duration.js';
import { parseImageRef, whyNotImageRef } from '../image-ref.js';
import { commandChecks } from './rule-references.js';
import { entriesOf, field, itemsOf, stringField } from './view.js';

const YEAR_MS = 365 * 24 * 3_600_000;

function checkCommand(ctx: RuleContext, command: unknown, path: Path, example: string): void {
  if (typeof command === 'string' && command.trim() === '')
    ctx.report(path, `is an empty command: write what to run, e.g. '${example}'`);
  if (Array.isArray(command)) {
    if (command.length === 0)
      ctx.report(path, `is an empty command: write what to run, e.g. ['${example.split(' ')[0]}', …]`);
    else if (command[0] === '')
      ctx.report([...path, 0], 'is empty: the first item is the program to run; write its name or path');
  }
}

export function checkCommandsNotEmpty(ctx: RuleContext): void {
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases')))
    checkCommand(ctx, field(phase, 'run'), ['phases', name, 'run'], 'npm test');
  for (const [name, service] of entriesOf(field(ctx.plan, 'services'))) {
    checkCommand(ctx, field(service, 'command'), ['services', name, 'command'], 'redis-server');
    itemsOf(field(service, 'setup')).forEach((command, i) =>
      checkCommand(ctx, command, ['services', name, 'setup', i], 'createdb app'),
    );
  }
  for (const [path, check] of commandChecks(ctx.plan))
    checkCommand(ctx, field(check, 'run'), [...path, 'run'], 'npm run lint');
}

/** `images.*.ref`; image uses in services, phases and checks are judged in rule-references.ts. */
export function checkImageRefFormat(ctx: RuleContext): void {
  for (const [name, image] of entriesOf(field(ctx.plan, 'images'))) {
    const ref = stringField(image, 'ref');
    if (ref !== undefined && parseImageRef(ref) === undefined) ctx.report(['images', name, 'ref'], whyNotImageRef(ref));
  }
}

function checkMounts(ctx: RuleContext, mounts: unknown, path: Path): void {
  itemsOf(mounts).forEach((mount, i) => {
    const target = stringField(mount, 'target');
    if (target !== undefined && !target.startsWith('/')) {
      ctx.report(
        [...path, i, 'target'],
        `'${target}' is not an absolute container path: write it from the root, e.g. '/${target.replace(/^\.?\/*/, '')}'`,
      );
    }
    const source = stringField(mount, 'source');
    if (source !== undefined && source.trim() === '')
      ctx.report([...path, i, 'source'], 'is empty: write the host path to mount, relative to the plan file');
  });
}

export function checkContainerPaths(ctx: RuleContext): void {
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    const workdir = stringField(phase, 'workdir');
    if (workdir !== undefined && !workdir.startsWith('/')) {
      ctx.report(
        ['phases', name, 'workdir'],
        `'${workdir}' is not an absolute container path: write it from the root, e.g. '/${workdir.replace(/^\.?\/*/, '')}'`,
      );
    }
    checkMounts(ctx, field(phase, 'mounts'), ['phases', name, 'mounts']);
  }
  for (const [name, service] of entriesOf(field(ctx.plan, 'services')))
    checkMounts(ctx, field(service, 'mounts'), ['services', name, 'mounts']);
}

/** Every duration in the plan with its path, and whether zero makes sense there. */
function durations(plan: unknown): [Path, unknown][] {
  const out: [Path, unknown][] = [];
  for (const [name, service] of entriesOf(field(plan, 'services'))) {
    const ready = field(service, 'ready');
    out.push(
      [['services', name, 'ready', 'interval'], field(ready, 'interval')],
      [['services', name, 'ready', 'timeout'], field(ready, 'timeout')],
      [['services', name, 'setupTimeout'], field(service, 'setupTimeout')],
    );
  }
  for (const [name, phase] of entriesOf(field(plan, 'phases')))
    out.push([['phases', name, 'timeout'], field(phase, 'timeout')]);
  const duration = field(field(plan, 'gates'), 'duration');
  out.push([['gates', 'duration', 'max'], field(duration, 'max')]);
  for (const [name, max] of entriesOf(field(duration, 'phases')))
    out.push([['gates', 'duration', 'phases', name], max]);
  for (const [path, check] of commandChecks(plan)) out.push([[...path, 'timeout'], field(check, 'timeout')]);
  return out;
}

export function checkDurationBounds(ctx: RuleContext): void {
  for (const [path, value] of durations(ctx.plan)) {
    if (typeof value !== 'string') continue;
    const ms = parseDuration(value);
    if (ms === undefined) continue;
    if (ms === 0)
      ctx.report(path, `'${value}' is zero: nothing can finish in no time; write a duration like '30s' or '5m'`);
    else if (ms >= YEAR_MS)
      ctx.report(path, `'${value}' is a year or more: write a realistic limit like '30m' or '2h'`);
  }
}
