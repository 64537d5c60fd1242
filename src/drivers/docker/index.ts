export { DockerDriver, type DockerDriverDeps } from './docker-driver.js';
export { createDockerClient, resolveEngineEndpoint } from './connect.js';
export { realClock, type Clock } from '../shared/clock.js';
