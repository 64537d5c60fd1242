/** The OCI registry store against a real registry (the CNCF distribution registry, Debian's docker-registry). */
import t from 'tap';
import { blobDigest, ENTRY_VERSION, type EntryMeta } from '../../src/cache/entry.js';
import {
  ARTIFACT_TYPE,
  CONFIG_MEDIA_TYPE,
  LAYER_MEDIA_TYPE,
  OciStore,
  parseRegistryUrl,
} from '../../src/cache/oci-store.js';
import { startRegistry } from '../helpers/registry.js';

const key = (n: number): string => n.toString(16).padStart(64, 'a');

function entry(n: number, blob = Buffer.from(`entry blob ${n}`)): { meta: EntryMeta; blob: Buffer } {
  return {
    meta: {
      v: ENTRY_VERSION,
      key: key(n),
      plan: 'p',
      phase: 'unit',
      runId: `run-${n}`,
      createdAt: '2026-01-01T00:00:00.000Z',
      commit: '0123456789abcdef',
      blob: { digest: blobDigest(blob), size: blob.length },
    },
    blob,
  };
}

t.test('registry URLs', async (t) => {
  t.same(parseRegistryUrl('registry://localhost:5000/team/cache'), {
    base: 'http://localhost:5000',
    repo: 'team/cache',
  });
  t.same(parseRegistryUrl('registry://ghcr.io/org/cache'), { base: 'https://ghcr.io', repo: 'org/cache' });
  t.same(parseRegistryUrl('registry+http://reg.internal:5000/c'), { base: 'http://reg.internal:5000', repo: 'c' });
  t.throws(() => parseRegistryUrl('registry://host/Upper'), /expected registry:\/\/HOST/);
  t.throws(() => parseRegistryUrl('registry://host'), /expected registry:\/\/HOST/);
});

t.test('entries round-trip through a real registry as OCI artifacts', async (t) => {
  const registry = await startRegistry(t);
  if (!registry) return;
  const store = new OciStore(`registry://${registry.host}/testplan/cache`);
  t.equal(await store.get(key(1)), undefined, 'nothing yet');
  const e = entry(1, Buffer.alloc(3 * 1024 * 1024, 7));
  await store.put(e.meta, e.blob);
  const got = await store.get(key(1));
  t.same(got?.meta, e.meta);
  t.ok(got?.blob.equals(e.blob), 'the blob comes back whole');
  await store.put(e.meta, e.blob); // again: blobs already there are not uploaded twice, the tag is rewritten

  const res = await fetch(`http://${registry.host}/v2/testplan/cache/manifests/${key(1)}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  const manifest = (await res.json()) as {
    artifactType: string;
    config: { mediaType: string };
    layers: { mediaType: string }[];
  };
  t.equal(manifest.artifactType, ARTIFACT_TYPE, 'an OCI artifact of our own type');
  t.equal(manifest.config.mediaType, CONFIG_MEDIA_TYPE);
  t.equal(manifest.layers[0]?.mediaType, LAYER_MEDIA_TYPE);
  const tags = (await (await fetch(`http://${registry.host}/v2/testplan/cache/tags/list`)).json()) as {
    tags: string[];
  };
  t.same(tags.tags, [key(1)], 'tagged with the key');
});

t.test('an entry whose meta does not match its blob, or another key, is never served', async (t) => {
  const registry = await startRegistry(t);
  if (!registry) return;
  const store = new OciStore(`registry://${registry.host}/c`);
  const good = entry(2);
  // Pushed under key 2 with a meta claiming another blob: what a tampered or broken pusher leaves.
  await store.put({ ...good.meta, blob: { digest: blobDigest(Buffer.from('other')), size: 5 } }, good.blob);
  t.equal(await store.get(key(2)), undefined, 'digest mismatch');
  await store.put({ ...entry(3).meta, key: key(3) }, entry(3).blob);
  // Retag key 3's manifest as key 4: the meta inside names key 3.
  const m = await fetch(`http://${registry.host}/v2/c/manifests/${key(3)}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  await fetch(`http://${registry.host}/v2/c/manifests/${key(4)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: await m.text(),
  });
  t.equal(await store.get(key(4)), undefined, 'a manifest moved to another tag');
  t.ok(await store.get(key(3)), 'the original still serves');
});

t.test('a registry that does not answer is a miss, and a put that fails says so', async (t) => {
  const store = new OciStore('registry://127.0.0.1:9/c');
  t.equal(await store.get(key(5)), undefined);
  await t.rejects(store.put(entry(5).meta, entry(5).blob));
});
