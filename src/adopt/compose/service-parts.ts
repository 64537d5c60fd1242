/** Pieces of one compose service → plan values: image, environment, ports, volumes. */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { secretCall, secretFromEnvCall, type DraftObject, type DraftValue } from '../plan/draft.js';
import { parseEnvFile } from './interpolate.js';
import { FROM_ENVIRONMENT, isMap, type Yaml, type YamlMap } from './compose-file.js';

export interface Sink {
  guess(text: string): void;
  warn(text: string): void;
}

/** A path as the plan file sees it (plan paths are relative to the plan's folder). */
export const fromPlan = (planDir: string, absolute: string): string => relative(planDir, absolute) || '.';

export const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** `image:` / `build:` → an images entry (returned) and the reference the service or phase uses. */
export function imageOf(
  name: string,
  svc: YamlMap,
  composeDir: string,
  planDir: string,
  sink: Sink,
): { ref: string; image?: DraftObject } {
  const build = svc.build;
  if (build !== undefined && build !== null) {
    const spec: YamlMap = typeof build === 'string' ? { context: build } : isMap(build) ? build : {};
    const context = fromPlan(planDir, resolve(composeDir, String(spec.context ?? '.')));
    const args = buildArgs(spec.args);
    const image: DraftObject = {
      build: {
        context,
        ...(spec.dockerfile !== undefined ? { dockerfile: String(spec.dockerfile) } : {}),
        ...(spec.target !== undefined ? { target: String(spec.target) } : {}),
        ...(args ? { args } : {}),
      },
    };
    for (const key of Object.keys(spec).filter((k) => !['context', 'dockerfile', 'target', 'args'].includes(k))) {
      sink.warn(`build.${key} has no equivalent in images.<name>.build (context, dockerfile, target, args)`);
    }
    if (typeof svc.image === 'string')
      sink.guess(`compose also tags this build as ${svc.image}; the plan builds it as image '${name}'`);
    return { ref: name, image };
  }
  const ref = typeof svc.image === 'string' ? svc.image : '';
  if (!ref) {
    sink.warn('neither image nor build: set the image');
    return { ref: 'TODO:latest' };
  }
  const lastPart = ref.split('/').pop() ?? ref;
  if (!lastPart.includes(':') && !ref.includes('@')) {
    sink.guess(`'${ref}' has no tag; compose pulls :latest, so does the plan — pin a version`);
    return { ref: `${ref}:latest` };
  }
  return { ref };
}

function buildArgs(args: Yaml): Record<string, string> | undefined {
  if (Array.isArray(args)) {
    const out: Record<string, string> = {};
    for (const item of args) {
      const [key, ...value] = String(item).split('=');
      if (key && value.length > 0) out[key] = value.join('=');
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (isMap(args))
    return Object.fromEntries(
      Object.entries(args)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
  return undefined;
}

/**
 * `env_file:` then `environment:` (list or map), as compose merges them. A variable with no value
 * (`- API_KEY`) comes from the environment of whoever runs compose: here `secretFromEnv`. A literal
 * value under a secret-looking name becomes `secret(…)`, so reports mask it.
 */
export function environmentOf(svc: YamlMap, composeDir: string, sink: Sink): DraftObject | undefined {
  const env: Record<string, DraftValue> = {};
  const files = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  for (const entry of files) {
    const path = isMap(entry) ? String(entry.path) : String(entry);
    const abs = resolve(composeDir, path);
    if (!existsSync(abs)) {
      if (isMap(entry) && entry.required === false) continue;
      sink.warn(`env_file ${path} does not exist: its variables are missing`);
      continue;
    }
    Object.assign(env, parseEnvFile(readFileSync(abs, 'utf8')));
    sink.guess(`env_file ${path} is copied in; the plan does not read it again when it changes`);
  }
  const raw = svc.environment;
  const pairs: [string, Yaml][] = Array.isArray(raw)
    ? raw.map((item) => {
        const text = String(item);
        const at = text.indexOf('=');
        return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
      })
    : isMap(raw)
      ? Object.entries(raw)
      : [];
  for (const [key, value] of pairs) {
    if (value === null || value === undefined) {
      env[key] = secretFromEnvCall(key);
      sink.guess(
        `${key} has no value: compose takes it from the shell, the plan from the environment of \`plan run\` (as a secret)`,
      );
    } else if (String(value).startsWith(FROM_ENVIRONMENT)) {
      const variable = String(value).slice(FROM_ENVIRONMENT.length);
      env[key] = secretFromEnvCall(variable);
      sink.guess(
        `${key} was \${${variable}}, set in no .env: compose takes it from the shell, the plan from the environment of \`plan run\` (as a secret)`,
      );
    } else {
      env[key] = String(value);
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string' && SECRET_NAME.test(key) && value !== '') {
      env[key] = secretCall(value);
      sink.guess(`${key} looks like a secret: secret(…) masks it in logs and reports`);
    }
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Container ports from `ports:` (short and long syntax) and `expose:`; fixed host ports are dropped. */
export function portsOf(svc: YamlMap, sink: Sink): number[] {
  const ports: number[] = [];
  const add = (port: number): void => {
    if (Number.isInteger(port) && port > 0 && port < 65536 && !ports.includes(port)) ports.push(port);
  };
  let fixed = false;
  for (const entry of Array.isArray(svc.ports) ? svc.ports : []) {
    if (isMap(entry)) {
      add(Number(entry.target));
      if (entry.published !== undefined) fixed = true;
      continue;
    }
    const spec = String(entry).replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    const container = parts[parts.length - 1]!;
    if (container.includes('-')) {
      sink.warn(`port range ${spec}: list the ports the tests use`);
      continue;
    }
    add(Number(container));
    if (parts.length > 1) fixed = true;
  }
  for (const entry of Array.isArray(svc.expose) ? svc.expose : [])
    add(Number(String(entry).replace(/\/(tcp|udp)$/, '')));
  if (fixed)
    sink.guess(
      'compose published fixed host ports; a plan never does (concurrent runs would collide): `plan run --keep` prints where to reach it',
    );
  return ports;
}

export interface BindMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** `volumes:` → host bind mounts (relative to the plan) and the rest (named volumes, tmpfs), described. */
export function volumesOf(svc: YamlMap, composeDir: string, planDir: string): { binds: BindMount[]; others: string[] } {
  const binds: BindMount[] = [];
  const others: string[] = [];
  for (const entry of Array.isArray(svc.volumes) ? svc.volumes : []) {
    let source: string | undefined;
    let target: string | undefined;
    let readOnly = false;
    let type = 'volume';
    if (isMap(entry)) {
      type = String(entry.type ?? 'volume');
      source = entry.source === undefined ? undefined : String(entry.source);
      target = entry.target === undefined ? undefined : String(entry.target);
      readOnly = entry.read_only === true;
    } else {
      const parts = String(entry).split(':');
      if (parts.length === 1) [target] = parts;
      else [source, target] = parts;
      readOnly = parts[2]?.split(',').includes('ro') ?? false;
      type = source !== undefined && /^[./~]/.test(source) ? 'bind' : 'volume';
    }
    if (type === 'bind' && source !== undefined && target !== undefined) {
      binds.push({ source: fromPlan(planDir, resolve(composeDir, source)), target, readOnly });
    } else {
      others.push(isMap(entry) ? `${type} ${source ?? ''}:${target ?? ''}` : String(entry));
    }
  }
  return { binds, others };
}

/** `depends_on:` (list or map with conditions) → name → condition. */
export function dependsOn(svc: YamlMap): Map<string, string> {
  const out = new Map<string, string>();
  const raw = svc.depends_on;
  if (Array.isArray(raw)) for (const name of raw) out.set(String(name), 'service_started');
  else if (isMap(raw))
    for (const [name, spec] of Object.entries(raw))
      out.set(name, isMap(spec) ? String(spec.condition ?? 'service_started') : 'service_started');
  return out;
}

export function stringList(value: Yaml): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
}
