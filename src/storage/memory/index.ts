export { MemoryAttemptCounter } from './memory-attempt-counter.js';
