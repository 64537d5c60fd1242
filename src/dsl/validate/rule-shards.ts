/** Rule: a sharded phase can be split (a valid files glob, no shared namespace, results that merge), and `shard` names no service. */
import { shardGlobProblem } from '../shard-glob.js';
import { SHARD_TEMPLATE } from '../templates.js';
import type { RuleContext } from './context.js';
import { entriesOf, field, isObject, stringField } from './view.js';

export function checkShards(ctx: RuleContext): void {
  if (ctx.services.includes(SHARD_TEMPLATE))
    ctx.report(
      ['services', SHARD_TEMPLATE],
      `'${SHARD_TEMPLATE}' is reserved (\${shard.index} and \${shard.count} are the shard templates): rename this service`,
    );
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    const shard = field(phase, 'shard');
    if (shard === undefined) continue;
    const files = field(shard, 'files');
    if (typeof files === 'string') {
      const problem = shardGlobProblem(files);
      if (problem) ctx.report(['phases', name, 'shard', 'files'], problem);
    }
    if (field(phase, 'localhost') === true)
      ctx.report(
        ['phases', name, 'localhost'],
        'a sharded phase cannot reach its services on localhost: each shard has its own instances on the run network; remove localhost: true and use ${service.host}',
      );
    const text = field(field(phase, 'results'), 'text');
    if (isObject(text) && (stringField(text, 'source') ?? 'output') === 'output')
      ctx.report(
        ['phases', name, 'results'],
        "a sharded phase's output is one output per shard and cannot be read as one: write JUnit or TAP (results: { junit: '/out/junit.xml' }), or text to a file (source: '/out/test.log')",
      );
  }
}
