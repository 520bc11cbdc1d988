export { writeFileAtomic } from './atomic-write.js';
export { ChannelError, isRetryable } from './channel-error.js';
