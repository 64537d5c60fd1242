/**
 * Cache keys of phases and services: pure functions of the validated specs plus what only I/O can tell
 * (image content ids, mounted folders' content digests). The I/O that finds those is in resolve-keys.ts.
 *
 * In a phase's key: every field of its validated spec (command, env with a secret by its hash, workdir,
 * localhost, and any field added later) except those listed in `phaseKey`; its image's content id; each
 * mount's target, read-only flag and content; the paths it collects (results, coverage, artifacts: what
 * an entry holds); the key of every service it uses and of every phase it needs. Not in it: names,
 * timeout, retries, profiles, `cache`, `local`, how evidence is read (formats, pathMap: the restored
 * files are parsed afresh), where a mount comes from on the host.
 */
import type { PhaseSpec, ServiceSpec } from '../dsl/plan.js';
import { canonicalJson, sha256 } from './canonical-json.js';

/** Bumped whenever what a key covers or how an entry is laid out changes: old entries then never match. */
export const KEY_VERSION = 1;

export interface PhaseKeyInputs {
  /** Content id of the phase's image (an image id such as `sha256:…`). */
  readonly image: string;
  /** Content digest of each mount's source, in the order of `spec.mounts`. */
  readonly mounts: readonly string[];
  /** Key of each service the phase uses, by name. */
  readonly services: Readonly<Record<string, string>>;
  /** Key of each phase it needs, by name. */
  readonly needs: Readonly<Record<string, string>>;
}

export function phaseKey(spec: PhaseSpec, collects: readonly string[], inputs: PhaseKeyInputs): string {
  if (inputs.mounts.length !== spec.mounts.length) throw new Error('BUG: one content digest per mount');
  // Every field counts unless named here (a field added later is covered by default): these change
  // neither what the container does nor what an entry holds, or are replaced by their content below.
  const {
    name: _name,
    timeoutMs: _timeout,
    retries: _retries,
    profiles: _profiles,
    cache: _cache,
    local: _local,
    results: _results,
    coverage: _coverage,
    artifacts: _artifacts,
    mounts,
    services,
    needs,
    ...rest
  } = spec;
  return sha256(
    canonicalJson({
      v: KEY_VERSION,
      what: 'phase',
      spec: rest,
      image: inputs.image,
      mounts: mounts.map((m, i) => ({ target: m.target, readOnly: m.readOnly, content: inputs.mounts[i] })),
      collects: [...collects],
      // Names count: `${name.host}` in env and command refer to them.
      services: services.map((name) => [name, need(inputs.services, name)]),
      needs: [...needs].sort().map((name) => [name, need(inputs.needs, name)]),
    }),
  );
}

/**
 * A service's key: its whole validated definition (every field, including ones added later, without
 * listing them here) with each mount's source replaced by its content (a changed `pg_hba.conf` or seed
 * file changes the key), its image's content id, and the keys of the services it depends on.
 */
export function serviceKey(
  spec: ServiceSpec,
  image: string,
  dependsOn: Readonly<Record<string, string>>,
  mountContents: readonly string[],
): string {
  if (mountContents.length !== spec.mounts.length) throw new Error('BUG: one content digest per service mount');
  const { mounts, ...rest } = spec;
  return sha256(
    canonicalJson({
      v: KEY_VERSION,
      what: 'service',
      spec: rest,
      mounts: mounts.map((m, i) => ({ target: m.target, readOnly: m.readOnly, content: mountContents[i] })),
      image,
      dependsOn: spec.dependsOn.map((name) => [name, need(dependsOn, name)]),
    }),
  );
}

function need(keys: Readonly<Record<string, string>>, name: string): string {
  const key = keys[name];
  if (key === undefined) throw new Error(`BUG: no key for ${name}`);
  return key;
}
