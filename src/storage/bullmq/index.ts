export { BullmqJobQueue, type BullmqJobQueueOptions } from './bullmq-job-queue.js';
export { encodeJobId, decodeJobId } from './job-id.js';
