export { definePhase, defineService, defineTestPlan, secret, secretFromEnv } from './dsl/define.js';
export type * from './dsl/types.js';
