/**
 * Entries in an OCI registry, as ORAS stores non-image content: one manifest per entry, tagged with
 * the key, whose config blob is the entry's meta (a media type of our own) and whose one layer is the
 * entry's tar blob. Plain HTTP calls of the OCI distribution API (no auth yet: a registry on a trusted
 * network, or one the CI job reaches unauthenticated). Every blob is checked against its digest.
 *
 * `registry://host[:port]/repo` speaks HTTPS, except to a loopback host (as Docker allows); write
 * `registry+http://` to force plain HTTP.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { blobMatches, ENTRY_VERSION, type EntryMeta } from './entry.js';
import { isKey, type CacheStore, type StoredEntry } from './store.js';

export const ARTIFACT_TYPE = 'application/vnd.testplan.phase-result.v1';
export const CONFIG_MEDIA_TYPE = 'application/vnd.testplan.phase-result.config.v1+json';
export const LAYER_MEDIA_TYPE = 'application/vnd.testplan.phase-result.layer.v1.tar';
const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const TIMEOUT_MS = 60_000;

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

interface Manifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export function isRegistryUrl(url: string): boolean {
  return /^registry(\+https?)?:\/\//.test(url);
}

export function parseRegistryUrl(url: string): { readonly base: string; readonly repo: string } {
  const m = /^registry(?:\+(https?))?:\/\/([^/]+)\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)\/?$/.exec(url);
  if (!m)
    throw new UsageError(
      `--cache-from ${url}: expected registry://HOST[:PORT]/REPOSITORY (lower-case repository path), e.g. registry://localhost:5000/testplan-cache`,
    );
  const host = m[2]!;
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  const scheme = m[1] ?? (loopback ? 'http' : 'https');
  return { base: `${scheme}://${host}`, repo: m[3]! };
}

const digestOf = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export class OciStore implements CacheStore {
  private readonly base: string;
  private readonly repo: string;

  constructor(
    readonly url: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    ({ base: this.base, repo: this.repo } = parseRegistryUrl(url));
  }

  get where(): string {
    return this.url;
  }

  private call(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    return this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    if (!isKey(key)) return undefined;
    try {
      const res = await this.call(`/v2/${this.repo}/manifests/${key}`, { headers: { accept: MANIFEST_MEDIA_TYPE } });
      if (!res.ok) return undefined;
      const manifest = (await res.json()) as Manifest;
      const layer = manifest.layers?.[0];
      if (manifest.config?.mediaType !== CONFIG_MEDIA_TYPE || layer?.mediaType !== LAYER_MEDIA_TYPE) return undefined;
      const [metaBytes, blob] = await Promise.all([this.blob(manifest.config), this.blob(layer)]);
      if (!metaBytes || !blob) return undefined;
      const meta = JSON.parse(metaBytes.toString('utf8')) as EntryMeta;
      if (meta.v !== ENTRY_VERSION || meta.key !== key || !blobMatches(meta, blob)) return undefined;
      return { meta, blob };
    } catch {
      return undefined;
    }
  }

  private async blob(d: Descriptor): Promise<Buffer | undefined> {
    const res = await this.call(`/v2/${this.repo}/blobs/${d.digest}`);
    if (!res.ok) return undefined;
    const data = Buffer.from(await res.arrayBuffer());
    return data.length === d.size && digestOf(data) === d.digest ? data : undefined;
  }

  async put(meta: EntryMeta, blob: Buffer): Promise<void> {
    if (!isKey(meta.key)) throw new Error(`not a cache key: ${meta.key}`);
    const metaBytes = Buffer.from(JSON.stringify(meta));
    const config: Descriptor = { mediaType: CONFIG_MEDIA_TYPE, digest: digestOf(metaBytes), size: metaBytes.length };
    const layer: Descriptor = { mediaType: LAYER_MEDIA_TYPE, digest: digestOf(blob), size: blob.length };
    await Promise.all([this.upload(config, metaBytes), this.upload(layer, blob)]);
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MANIFEST_MEDIA_TYPE,
      artifactType: ARTIFACT_TYPE,
      config,
      layers: [{ ...layer, annotations: { 'org.opencontainers.image.title': 'entry.tar' } } as Descriptor],
      annotations: {
        'org.opencontainers.image.created': meta.createdAt,
        'dev.testplan.plan': meta.plan,
        'dev.testplan.phase': meta.phase,
        'dev.testplan.run': meta.runId,
        ...(meta.commit ? { 'org.opencontainers.image.revision': meta.commit } : {}),
      },
    };
    const res = await this.call(`/v2/${this.repo}/manifests/${meta.key}`, {
      method: 'PUT',
      headers: { 'content-type': MANIFEST_MEDIA_TYPE },
      body: JSON.stringify(manifest),
    });
    if (!res.ok) throw new Error(`the registry refused the manifest: ${res.status} ${await res.text()}`);
  }

  private async upload(d: Descriptor, data: Buffer): Promise<void> {
    const head = await this.call(`/v2/${this.repo}/blobs/${d.digest}`, { method: 'HEAD' });
    if (head.ok) return;
    const start = await this.call(`/v2/${this.repo}/blobs/uploads/`, { method: 'POST' });
    const location = start.headers.get('location');
    if (start.status !== 202 || !location)
      throw new Error(`the registry did not start an upload: ${start.status} ${await start.text()}`);
    const target = new URL(location, this.base);
    target.searchParams.set('digest', d.digest);
    const put = await this.call(target.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    });
    if (put.status !== 201) throw new Error(`the registry refused a blob: ${put.status} ${await put.text()}`);
  }
}
