/** Finding, loading and type-checking plan files. */
export { discoverPlans, PLAN_FILE } from './discover.js';
export { loadPlanFile, type LoadOptions } from './load-plan.js';
export { typeCheckPlan, typeCheckPlans, type Diagnostic, type TypeCheckOptions } from './type-check.js';
