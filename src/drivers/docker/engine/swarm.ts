/**
 * The Swarm side of a manager engine, in our own types (the Swarm driver's port; `dockerode-swarm.ts`
 * implements it on dockerode). Failed calls reject with `EngineError`, as the rest of the port.
 */
import type { BindMount, LabelSelector, Labelled, ProgressMessage } from './engine.js';

export interface SwarmServiceSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
  /** On the service and on its task containers (so each node's containers can be found by label). */
  readonly labels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly aliases: readonly string[];
  readonly binds: readonly BindMount[];
  /** One task on every node (a global service) rather than one task somewhere; `job` must be false. */
  readonly global?: boolean;
  /** A replicated job (runs once to its end) rather than a one-replica service; neither restarts. */
  readonly job: boolean;
}

export type TaskPhase = 'pending' | 'running' | 'complete' | 'failed' | 'shutdown' | 'rejected' | 'orphaned' | 'other';

export interface TaskStatus {
  readonly id: string;
  readonly nodeId?: string;
  readonly state: TaskPhase;
  /** Swarm's word for it (`running`, `complete`, `failed`, `rejected`, …). */
  readonly rawState: string;
  readonly containerId?: string;
  readonly exitCode?: number;
  /** ISO 8601 time of the last state change. */
  readonly at: string;
  readonly message: string;
  readonly error?: string;
}

export interface SwarmNode {
  readonly id: string;
  readonly hostname: string;
  /** The address the node advertises to the others (its NetworkDB peer address). */
  readonly address: string;
  /** Ready and active: Swarm places new tasks (and a global service's task) on it. */
  readonly schedulable: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SwarmPort {
  /** Resolves with the service id. */
  createService(spec: SwarmServiceSpec): Promise<string>;
  removeService(id: string): Promise<void>;
  listServices(selector: LabelSelector): Promise<Labelled[]>;
  tasks(serviceId: string): Promise<TaskStatus[]>;
  nodes(): Promise<SwarmNode[]>;
  /** An attachable overlay network; rejects with 409 when the name is taken. */
  createOverlay(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /**
   * The addresses of the nodes this engine's NetworkDB believes are joined to the network (its gossip
   * peers for it, itself included); undefined while this node has not joined it. Asked of each node's engine.
   */
  networkPeers(name: string): Promise<readonly string[] | undefined>;
  tag(image: string, repo: string, tag: string): Promise<void>;
  /** Pushes `repo:tag` from the manager's engine to its registry; resolves when the stream ends. */
  push(repo: string, tag: string, onProgress: (m: ProgressMessage) => void): Promise<void>;
}
