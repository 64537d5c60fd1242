/** One user-defined bridge network per run, named from the run id and labelled with it. */
import type { RunIdentity } from '../driver.js';
import { networkName, resourceLabels } from './labels.js';
import type { NetworkPort } from './engine/engine.js';
import { isConflict, isNotFound } from './engine/engine-error.js';

export async function createRunNetwork(networks: NetworkPort, run: RunIdentity): Promise<string> {
  const name = networkName(run.runId);
  try {
    await networks.create(name, resourceLabels(run, 'network', name));
  } catch (err) {
    // Created already (a retried step): it carries this run's labels, so it is ours.
    if (!isConflict(err)) throw err;
  }
  return name;
}

export async function removeRunNetwork(networks: NetworkPort, run: RunIdentity): Promise<void> {
  try {
    await networks.remove(networkName(run.runId));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
