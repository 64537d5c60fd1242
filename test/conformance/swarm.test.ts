import { conformance } from './driver-conformance.js';
import { swarmAdapter } from './adapters/swarm.js';

conformance(swarmAdapter);
