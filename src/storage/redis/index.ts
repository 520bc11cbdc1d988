export { RedisAttemptCounter, type RedisAttemptCounterOptions } from './redis-attempt-counter.js';
export { quit } from './quit-redis.js';
export { RedisServedParts, type RedisServedPartsOptions } from './redis-served-parts.js';
