/** The repository's Dockerfiles: a stage named `test` (or `tests`, `testing`) is the image tests run in. */
import { join } from 'node:path';
import { listFiles, readText } from './project.js';

export interface TestImage {
  readonly dockerfile: string;
  /** Undefined: the whole Dockerfile (a Dockerfile.test without stages). */
  readonly target?: string;
  /** The stage's last WORKDIR: where coverage paths start. */
  readonly workdir?: string;
}

const TEST_STAGE = /^(test|tests|testing)$/i;

export function findTestImage(dir: string): TestImage | undefined {
  const candidates = [
    ...listFiles(dir).filter((f) => /^Dockerfile(\..+)?$|\.Dockerfile$/i.test(f)),
    ...listFiles(join(dir, 'docker'))
      .filter((f) => /Dockerfile/i.test(f))
      .map((f) => `docker/${f}`),
  ].sort((a, b) => rank(a) - rank(b));
  for (const file of candidates) {
    const stages = parseStages(readText(dir, file) ?? '');
    const test = stages.find((s) => s.name !== undefined && TEST_STAGE.test(s.name));
    if (test) return { dockerfile: file, target: test.name!, ...(test.workdir ? { workdir: test.workdir } : {}) };
  }
  const plainTest = candidates.find((f) => /^Dockerfile\.test$|^test\.Dockerfile$/i.test(f));
  if (plainTest) {
    const stages = parseStages(readText(dir, plainTest) ?? '');
    const workdir = stages[stages.length - 1]?.workdir;
    return { dockerfile: plainTest, ...(workdir ? { workdir } : {}) };
  }
  return undefined;
}

const rank = (file: string): number => (file === 'Dockerfile' ? 0 : /test/i.test(file) ? 1 : 2);

interface Stage {
  readonly name?: string;
  workdir?: string;
}

function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      const parent = stages.find((s) => s.name === from[1]);
      stages.push({ ...(from[2] ? { name: from[2] } : {}), ...(parent?.workdir ? { workdir: parent.workdir } : {}) });
      continue;
    }
    const workdir = /^WORKDIR\s+(\S+)/i.exec(line);
    const current = stages[stages.length - 1];
    if (workdir && current)
      current.workdir =
        workdir[1]!.startsWith('/') || !current.workdir ? workdir[1] : `${current.workdir}/${workdir[1]}`;
  }
  return stages;
}
