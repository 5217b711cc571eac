import type { SQSEvent } from 'aws-lambda';
import type { QueueConsumer } from '../../local/sqs/index.js';

/**
 * A queue consumer whose every invocation holds until `release()`, counting how many run at
 * once: a queue with fewer workers than its cap never reaches the cap, one with more goes past it.
 * `onBatch` sees each invocation's event as it starts.
 */
export const heldConsumer = (onBatch: (event: SQSEvent) => void = () => {}) => {
  let running = 0;
  let mostAtOnce = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const consumer: QueueConsumer = async (event) => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    onBatch(event);
    await released;
    running--;
  };
  return {
    consumer,
    release: () => release(),
    running: () => running,
    mostAtOnce: () => mostAtOnce,
  };
};
