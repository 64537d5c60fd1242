/**
 * A plan → an equivalent docker-compose file, for poking at the environment by hand: services with
 * health checks from their ready probes, phases as one-shot services that depend on their services
 * being healthy (and on the phases they need having completed), profiles kept, `/out` bound to
 * `.testplan/compose/<phase>`. What compose cannot express (log probes, gates, criteria) is a comment.
 */
import { relative } from 'node:path';
import { Document } from 'yaml';
import type { EnvSpec, ImageUse, ReadyProbeSpec, TestPlan } from '../../dsl/plan.js';
import { exportedValue } from './load-for-export.js';
import { exactDuration } from '../duration.js';

export interface ComposeExport {
  readonly text: string;
  readonly warnings: readonly string[];
}

/** `outDir`: the folder the compose file is written to (build contexts and mounts are relative to it). */
export function planToCompose(plan: TestPlan, outDir: string): ComposeExport {
  const warnings: string[] = [];
  const services: Record<string, unknown> = {};
  const ports = (name: string): number | undefined => plan.services[name]?.ports[0];
  const resolveTemplates = (text: string): string =>
    text.replace(/\$\{([A-Za-z0-9_.-]+)\.(host|port)\}/g, (all, svc: string, what: string) =>
      what === 'host' ? svc : String(ports(svc) ?? all),
    );
  // Compose interpolates `$`: a literal dollar is `$$`; a secret's variable stays `${NAME}`.
  const literal = (text: string): string => resolveTemplates(text).replace(/\$/g, '$$$$');
  const environment = (env: EnvSpec, where: string): Record<string, string> | undefined => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(env)) {
      const exported = exportedValue(key, value);
      if (exported.kind === 'text') out[key] = literal(exported.text);
      else {
        out[key] = `\${${exported.name}:?set ${exported.name}}`;
        if (exported.literal)
          warnings.push(
            `${where}.env.${key} is a secret('…') in the plan: the compose file reads it from $${exported.name} instead of printing it`,
          );
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const image = (use: ImageUse): Record<string, unknown> => {
    if (use.kind === 'ref') return { image: use.ref };
    const spec = plan.images[use.name];
    if (!spec) return { image: use.name };
    if (spec.kind === 'ref') return { image: spec.ref };
    return {
      build: {
        context: relative(outDir, spec.context) || '.',
        ...(spec.dockerfile !== 'Dockerfile' ? { dockerfile: spec.dockerfile } : {}),
        ...(spec.target ? { target: spec.target } : {}),
        ...(Object.keys(spec.args).length > 0 ? { args: spec.args } : {}),
      },
    };
  };

  const healthchecks = new Map<string, Record<string, unknown>>();
  for (const svc of Object.values(plan.services)) {
    const healthcheck = svc.ready ? toHealthcheck(svc.ready, `services.${svc.name}`, warnings) : undefined;
    if (healthcheck) healthchecks.set(svc.name, healthcheck);
  }
  const dependsOn = (on: readonly string[], needs: readonly string[]): Record<string, { condition: string }> => {
    const out: Record<string, { condition: string }> = {};
    for (const name of on) out[name] = { condition: healthchecks.has(name) ? 'service_healthy' : 'service_started' };
    for (const name of needs) out[name] = { condition: 'service_completed_successfully' };
    return out;
  };
  for (const svc of Object.values(plan.services)) {
    if (svc.scope === 'phase' || svc.exclusive)
      warnings.push(
        `services.${svc.name}.${svc.scope === 'phase' ? "scope 'phase'" : 'exclusive'}: compose runs one instance of a service, shared by every phase at once`,
      );
    const healthcheck = healthchecks.get(svc.name);
    services[svc.name] = {
      ...image(svc.image),
      ...(svc.command ? { command: svc.command.map(literal) } : {}),
      ...optional('environment', environment(svc.env, `services.${svc.name}`)),
      ...(svc.ports.length > 0 ? { expose: svc.ports.map(String) } : {}),
      ...(healthcheck ? { healthcheck } : {}),
      ...(svc.dependsOn.length > 0 ? { depends_on: dependsOn(svc.dependsOn, []) } : {}),
      ...(svc.profiles.length > 0 ? { profiles: [...svc.profiles] } : {}),
    };
  }
  for (const phase of Object.values(plan.phases)) {
    if (services[phase.name])
      warnings.push(`phase ${phase.name} has a service's name: compose needs one name per service`);
    const volumes = [
      ...phase.mounts.map((m) => `${hostPath(relative(outDir, m.source))}:${m.target}${m.readOnly ? ':ro' : ''}`),
      `./.testplan/compose/${phase.name}:/out`,
    ];
    services[phase.name] = {
      ...image(phase.image),
      command: phase.command.map(literal),
      ...optional('environment', environment(phase.env, `phases.${phase.name}`)),
      ...(phase.workdir ? { working_dir: phase.workdir } : {}),
      volumes,
      ...(phase.services.length + phase.needs.length > 0 ? { depends_on: dependsOn(phase.services, phase.needs) } : {}),
      // A phase is a one-shot: it runs with `docker compose run` or `up --exit-code-from`, never restarts.
      restart: 'no',
      ...(phase.profiles.length > 0 ? { profiles: [...phase.profiles] } : {}),
    };
    if (phase.after.length > 0)
      warnings.push(
        `phases.${phase.name}.after: compose cannot wait for a service to finish whatever its result; run the phases in that order yourself`,
      );
    if (phase.localhost)
      warnings.push(
        `phases.${phase.name}.localhost: compose has no shared namespace for several services; the phase reaches them by name`,
      );
  }

  // YAML 1.1 quoting: compose v1 (PyYAML) reads a bare `no` as false; `'no'` is the restart policy.
  const doc = new Document({ services }, { version: '1.1' });
  const header = [
    `Exported from ${plan.name} by \`plan export compose\`. The plan stays the source: re-export after changing it.`,
    `Run a phase with its services: docker compose -p ${plan.name} -f <this file> run --rm <phase>`,
    '(No top-level name: docker-compose 1.29 rejects it; -p names the project.)',
    'Results land in ./.testplan/compose/<phase>/; gates and acceptance criteria are evaluated by `plan run` only.',
    ...warnings.map((w) => `not exported: ${w}`),
  ];
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return { text: doc.toString({ lineWidth: 0 }), warnings };
}

/** Compose reads a source without `./` or `/` as a named volume. */
const hostPath = (path: string): string =>
  path === '' ? '.' : path.startsWith('/') || path.startsWith('.') ? path : `./${path}`;

function toHealthcheck(probe: ReadyProbeSpec, where: string, warnings: string[]): Record<string, unknown> | undefined {
  // Compose polls at a fixed interval (at least 1s here). Failures during start_period do not count,
  // so compose gives up no earlier than the plan would: start_period is the plan's timeout.
  const intervalMs = Math.max(1000, probe.intervalMs);
  const timing = {
    interval: exactDuration(intervalMs),
    timeout: '3s',
    retries: probe.retries ?? 3,
    start_period: exactDuration(probe.timeoutMs),
  };
  switch (probe.kind) {
    case 'exec': {
      const [first, second, third, ...rest] = probe.command;
      const test =
        first === 'sh' && second === '-c' && third !== undefined && rest.length === 0
          ? ['CMD-SHELL', third]
          : ['CMD', ...probe.command];
      if (probe.expect)
        warnings.push(`${where}.ready.expect /${probe.expect}/: a compose healthcheck only looks at the exit code`);
      return { test: test.map((t) => t.replace(/\$/g, '$$$$')), ...timing };
    }
    case 'redis':
      return { test: ['CMD-SHELL', `redis-cli -p ${probe.port} ping | grep -q PONG`], ...timing };
    case 'tcp':
      return {
        test: ['CMD-SHELL', `bash -c '</dev/tcp/127.0.0.1/${probe.port}' || nc -z 127.0.0.1 ${probe.port}`],
        ...timing,
      };
    case 'http': {
      // The plan probes HTTP from outside; a health check runs inside the image, with whichever client it has.
      const url = `http://127.0.0.1:${probe.port}${probe.path}`;
      const python = `python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' ${url}`;
      warnings.push(
        `${where}.ready is an http probe: the compose health check needs curl, wget or python3 in the image`,
      );
      return {
        test: ['CMD-SHELL', `curl -fsS ${url} >/dev/null 2>&1 || wget -qO- ${url} >/dev/null 2>&1 || ${python}`],
        ...timing,
      };
    }
    case 'log':
      warnings.push(
        `${where}.ready is a log probe (/${probe.pattern}/): compose has no log-based healthcheck; the service counts as started`,
      );
      return undefined;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
