import { EXIT } from '../../errors.js';
import { parseCommand, oneOf } from '../args.js';
import { createDriver, DRIVER_KINDS } from '../choose-driver.js';
import type { CommandContext } from '../context.js';

export async function pruneCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommand('prune', argv);
  const driver = await createDriver(
    oneOf('--driver', values.driver ?? ctx.env.TESTPLAN_DRIVER, DRIVER_KINDS, 'docker'),
    ctx.cwd,
    ctx.env,
  );
  await driver.describe();
  const removed = await driver.prune({ all: values.all, ...(values.plan ? { plan: values.plan } : {}) });
  const scope = values.all ? 'every testplan run' : 'runs whose runner is gone';
  ctx.stdout(
    `pruned ${scope}${values.plan ? ` of plan ${values.plan}` : ''}: ${removed.containers} container(s), ${removed.networks} network(s), ${removed.volumes} volume(s)\n`,
  );
  return EXIT.passed;
}
