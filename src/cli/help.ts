export const HELP = `plan — run a typed test plan in real containers and write an honest completion report

Usage: plan <command> [plan-file] [options]

Commands
  run [file]       run the plan; exit code is the verdict
    --phase NAME       run this phase and what it needs (repeatable)
    --profile NAME     enable services/phases with this profile (repeatable)
    --driver KIND      docker (default) or local (host processes, no engine)
    --concurrency N    phases in parallel (default: number of cores)
    --fail-fast        stop at the first failing phase
    --keep             leave services and the network running for debugging
    --out DIR          output folder (default .testplan/runs/<run-id>)
    -q, --quiet        only the verdict    -v, --verbose   also build and service output
  check [file]     validate the plan; --types also type-checks a .plan.ts
  graph [file]     print the step graph; --format text|mermaid|json, --phase, --profile
  report FILE      re-render report.md and junit.xml from a results.json; --out DIR
  list             list the plans under plans/
  prune            remove what killed runs left behind; --all, --plan NAME
  init [dir]       write plans/<name>.plan.ts for a repository (runners, images, services, gates)
    --base IMAGE       base image of a generated Dockerfile.test    --force  overwrite
    --count            run the plan once; the tests it executed become gates.tests.minExecuted
  import compose FILE          a docker-compose file → a plan
  import github-actions FILE   a workflow job → a plan; --job NAME
    --out FILE         where to write (default <repo>/plans/<name>.plan.ts)    --force  overwrite
  export compose [file]        the plan as a compose file (stdout, or --out FILE)
  export github-actions [file] a workflow that runs the plan as the gate step (stdout, or --out FILE)
  help             this text

Without a file, the single plans/*.plan.{ts,yaml,yml,js} is used.
Exit codes: 0 passed · 1 verdict failed · 2 invalid plan or usage · 3 infrastructure failure · 130 interrupted
`;
