/**
 * An environment in which a variable that is not set reads as `<marker><NAME>`: `plan export` loads a
 * plan with it, so `secretFromEnv('NAME')` names its variable instead of needing (or revealing) a value.
 * A marker is a string, not a Proxy, so that it can cross into the loader's worker thread.
 */
export function markedEnv(env: NodeJS.ProcessEnv, marker: string | undefined): NodeJS.ProcessEnv {
  if (marker === undefined) return env;
  return new Proxy(env, {
    get: (target, key) => (typeof key === 'string' ? (target[key] ?? `${marker}${key}`) : undefined),
    has: () => true,
  });
}
