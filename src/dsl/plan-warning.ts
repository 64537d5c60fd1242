/** What `plan check` and `plan run` warn about: never an error, and nothing is changed. */
export interface PlanWarning {
  /** Where to act in the plan, e.g. `services.redis` or `services.pg.env.POSTGRES_PASSWORD`. */
  readonly path: string;
  readonly message: string;
}
