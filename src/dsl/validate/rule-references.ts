/** Rules: every image, service and phase a plan names exists (with a did-you-mean when not). */
import type { RuleContext } from './context.js';
import { unknownName } from './context.js';
import { didYouMean } from '../did-you-mean.js';
import { parseImageRef, whyNotImageRef } from '../image-ref.js';
import type { Path } from './problems.js';
import { entriesOf, field, keysOf, itemsOf, stringField } from './view.js';

/**
 * An image use names a key of `images`, or is an external reference; without a tag it means
 * `:latest`, as in docker. A bare word close to a key of `images` is taken for a typo.
 */
function checkImageUse(ctx: RuleContext, owner: unknown, path: Path): void {
  const image = stringField(owner, 'image');
  if (image === undefined || ctx.images.includes(image)) return;
  const parsed = parseImageRef(image);
  if (parsed === undefined) return ctx.report([...path, 'image'], whyNotImageRef(image));
  const hint = parsed.tag === undefined && parsed.digest === undefined ? didYouMean(image, ctx.images) : '';
  if (hint)
    ctx.report(
      [...path, 'image'],
      `unknown image '${image}':${hint} (for the external image, write '${image}:latest')`,
    );
}

/** Every place a command check lives: gate commands and criterion commands. */
export function commandChecks(plan: unknown): [Path, unknown][] {
  const gates = entriesOf(field(field(plan, 'gates'), 'commands')).map(([name, check]): [Path, unknown] => [
    ['gates', 'commands', name],
    check,
  ]);
  const criteria = itemsOf(field(plan, 'acceptance')).flatMap((criterion, i): [Path, unknown][] => {
    const command = field(field(criterion, 'verifiedBy'), 'command');
    return command === undefined ? [] : [[['acceptance', i, 'verifiedBy', 'command'], command]];
  });
  return [...gates, ...criteria];
}

export function checkImageReferences(ctx: RuleContext): void {
  for (const [name, service] of entriesOf(field(ctx.plan, 'services'))) checkImageUse(ctx, service, ['services', name]);
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) checkImageUse(ctx, phase, ['phases', name]);
  for (const [path, check] of commandChecks(ctx.plan)) checkImageUse(ctx, check, path);
}

/** `self`: the phase or service the list belongs to, never offered as its own did-you-mean. */
function checkNames(
  ctx: RuleContext,
  list: unknown,
  path: Path,
  kind: 'service' | 'phase',
  known: readonly string[],
  self?: string,
): void {
  itemsOf(list).forEach((name, i) => {
    if (typeof name === 'string' && !known.includes(name))
      ctx.report([...path, i], unknownName(kind, name, known, self));
  });
}

export function checkServiceAndPhaseReferences(ctx: RuleContext): void {
  for (const [name, service] of entriesOf(field(ctx.plan, 'services'))) {
    checkNames(ctx, field(service, 'dependsOn'), ['services', name, 'dependsOn'], 'service', ctx.services, name);
  }
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    checkNames(ctx, field(phase, 'services'), ['phases', name, 'services'], 'service', ctx.services);
    checkNames(ctx, field(phase, 'needs'), ['phases', name, 'needs'], 'phase', ctx.phases, name);
    checkNames(ctx, field(phase, 'after'), ['phases', name, 'after'], 'phase', ctx.phases, name);
  }
  const gates = field(ctx.plan, 'gates');
  for (const gate of ['coverage', 'duration']) {
    for (const phase of keysOf(field(field(gates, gate), 'phases'))) {
      if (!ctx.phases.includes(phase))
        ctx.report(['gates', gate, 'phases', phase], unknownName('phase', phase, ctx.phases));
    }
  }
  itemsOf(field(ctx.plan, 'acceptance')).forEach((criterion, i) => {
    checkNames(
      ctx,
      field(field(criterion, 'verifiedBy'), 'phases'),
      ['acceptance', i, 'verifiedBy', 'phases'],
      'phase',
      ctx.phases,
    );
  });
}
