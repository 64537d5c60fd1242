/**
 * The run-overhead bench's workload: a Redis service with a readiness check and two sequential
 * one-shot phases that talk to it. Images are prebuilt local tags (`pull: 'never'`), so no
 * build or pull is timed. Mirrors script.sh and compose.yml in this folder.
 */
import { defineTestPlan } from 'testplan';

export default defineTestPlan({
  name: 'run-overhead',
  images: {
    redis: { ref: 'testplan-bench/redis:latest', pull: 'never' },
    client: { ref: 'testplan-bench/client:latest', pull: 'never' },
  },
  services: {
    redis: { image: 'redis', ready: { preset: 'redis' } },
  },
  phases: {
    ping: {
      image: 'client',
      services: ['redis'],
      run: 'redis-cli -h "$REDIS_HOST" ping',
      env: { REDIS_HOST: '${redis.host}' },
    },
    setget: {
      image: 'client',
      services: ['redis'],
      needs: ['ping'],
      env: { REDIS_HOST: '${redis.host}' },
      run: 'redis-cli -h "$REDIS_HOST" set bench ok >/dev/null && [ "$(redis-cli -h "$REDIS_HOST" get bench)" = ok ]',
    },
  },
});
