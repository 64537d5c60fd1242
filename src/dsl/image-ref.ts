/**
 * Docker image references, checked with the grammar of distribution/reference (what the engine
 * accepts): `[domain[:port]/]path[:tag][@digest]`, lowercase path components, at most 255 characters.
 */
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of a valid reference, or `undefined` when the engine would refuse it. */
export function parseImageRef(ref: string): ImageReference | undefined {
  const match = REFERENCE.exec(ref);
  if (!match || match[1]!.length > 255) return undefined;
  return {
    name: match[1]!,
    ...(match[2] === undefined ? {} : { tag: match[2] }),
    ...(match[3] === undefined ? {} : { digest: match[3] }),
  };
}

/** Why `ref` is not a reference, in words for a plan problem. */
export function whyNotImageRef(ref: string): string {
  if (ref.trim() === '') return 'is empty: write an image reference like redis:7';
  if (/\s/.test(ref)) return `'${ref}' is not a valid image reference (it contains whitespace): write it like redis:7`;
  if (/[A-Z]/.test(ref.split(/[:@]/)[0]!.split('/').slice(-1)[0]!))
    return `'${ref}' is not a valid image reference (repository names are lowercase): write '${ref.toLowerCase()}'`;
  if (ref.length > 255) return 'is not a valid image reference (longer than 255 characters)';
  return `'${ref}' is not a valid image reference: write it like 'redis:7', 'ghcr.io/org/app:1.2' or 'name@sha256:<digest>'`;
}

/** `redis` → `redis:latest`, as docker reads it; a reference with a tag or digest stays as written. */
export function withDefaultTag(ref: string): string {
  const parsed = parseImageRef(ref);
  return parsed === undefined || parsed.tag !== undefined || parsed.digest !== undefined ? ref : `${ref}:latest`;
}
