import { conformance } from './driver-conformance.js';
import { dockerAdapter } from './adapters/docker.js';

conformance(dockerAdapter);
