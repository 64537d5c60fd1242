/** Rules on service scope and exclusive use: what a per-phase instance or a one-at-a-time service can mean. */
import type { RuleContext } from './context.js';
import { entriesOf, field, itemsOf } from './view.js';

const scopeOf = (service: unknown): 'run' | 'phase' => (field(service, 'scope') === 'phase' ? 'phase' : 'run');

export function checkServiceScopes(ctx: RuleContext): void {
  const services = field(ctx.plan, 'services');
  const localhostPhase = entriesOf(field(ctx.plan, 'phases')).find(([, p]) => field(p, 'localhost') === true)?.[0];
  for (const [name, service] of entriesOf(services)) {
    const scope = scopeOf(service);
    if (scope === 'phase' && field(service, 'exclusive') === true) {
      ctx.report(
        ['services', name, 'exclusive'],
        "exclusive applies to a shared (scope 'run') service; with scope 'phase' every phase has its own instance already: remove exclusive or the scope",
      );
    }
    if (scope === 'phase' && localhostPhase !== undefined) {
      ctx.report(
        ['services', name, 'scope'],
        `scope 'phase' cannot be used in a plan whose phases reach services on localhost (phases.${localhostPhase}.localhost): there every service joins one network namespace, so two instances would listen on the same port. Use scope 'run' or remove localhost`,
      );
    }
    if (scope !== 'run') continue;
    itemsOf(field(service, 'dependsOn')).forEach((dep, i) => {
      if (typeof dep !== 'string' || scopeOf(field(services, dep)) !== 'phase') return;
      ctx.report(
        ['services', name, 'dependsOn', i],
        `service '${name}' is shared by the run (scope 'run') but depends on '${dep}', which has an instance per phase (scope 'phase'): there is no single '${dep}' for it to use. Give '${name}' scope 'phase' too, or '${dep}' scope 'run'`,
      );
    });
  }
}
