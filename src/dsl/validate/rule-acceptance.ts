/** Rules for acceptance criteria: unique ids, evidence named, gates that exist and are configured. */
import type { RuleContext } from './context.js';
import { didYouMean } from '../did-you-mean.js';
import { formatPath } from './problems.js';
import { field, isObject, itemsOf, keysOf, stringField } from './view.js';

const BUILT_IN_GATES = ['coverage', 'tests', 'duration'] as const;
const EVIDENCE = ['phases', 'tests', 'gates', 'command'];

export function checkAcceptance(ctx: RuleContext): void {
  const gates = field(ctx.plan, 'gates');
  const commandGates = keysOf(field(gates, 'commands'));
  const gateNames = [...BUILT_IN_GATES, ...commandGates];
  const firstIndex = new Map<string, number>();
  itemsOf(field(ctx.plan, 'acceptance')).forEach((criterion, i) => {
    const id = stringField(criterion, 'id');
    if (id !== undefined && id !== '') {
      const first = firstIndex.get(id);
      if (first === undefined) firstIndex.set(id, i);
      else
        ctx.report(
          ['acceptance', i, 'id'],
          `duplicate criterion id '${id}' (also ${formatPath(['acceptance', first])}): give each criterion its own id`,
        );
    }
    const verifiedBy = field(criterion, 'verifiedBy');
    if (isObject(verifiedBy) && !EVIDENCE.some((kind) => verifiedBy[kind] !== undefined)) {
      ctx.report(['acceptance', i, 'verifiedBy'], 'names no evidence: add phases, tests, gates or command');
    }
    itemsOf(field(verifiedBy, 'gates')).forEach((gate, j) => {
      if (typeof gate !== 'string') return;
      const path = ['acceptance', i, 'verifiedBy', 'gates', j];
      if ((BUILT_IN_GATES as readonly string[]).includes(gate)) {
        if (field(gates, gate) === undefined)
          ctx.report(
            path,
            `gate '${gate}' is not configured: add it under 'gates.${gate}' or remove it from this list`,
          );
      } else if (!commandGates.includes(gate)) {
        const hint = didYouMean(gate, gateNames);
        ctx.report(
          path,
          hint
            ? `unknown gate '${gate}':${hint}`
            : `unknown gate '${gate}': use coverage, tests, duration or a key of 'gates.commands'`,
        );
      }
    });
  });
}
