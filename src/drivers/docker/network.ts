/** One user-defined bridge network per run, named from the run id and labelled with it. */
import type Dockerode from 'dockerode';
import type { RunIdentity } from '../driver.js';
import { networkName, resourceLabels } from './labels.js';
import { statusOf } from './engine-errors.js';

export async function createRunNetwork(docker: Dockerode, run: RunIdentity): Promise<string> {
  const name = networkName(run.runId);
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: resourceLabels(run, 'network', name),
    });
  } catch (err) {
    // Created already (a retried step): it carries this run's labels, so it is ours.
    if (statusOf(err) !== 409) throw err;
  }
  return name;
}

export async function removeRunNetwork(docker: Dockerode, run: RunIdentity): Promise<void> {
  try {
    await docker.getNetwork(networkName(run.runId)).remove();
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}
