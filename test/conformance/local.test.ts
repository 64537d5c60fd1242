import { conformance } from './driver-conformance.js';
import { localAdapter } from './adapters/local.js';

conformance(localAdapter);
