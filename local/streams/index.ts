export { toLambdaRecord } from './lambda-record.js';
export {
  DEFAULT_MAX_RETRY_BACKOFF_MS,
  DEFAULT_RETRY_BACKOFF_MS,
  STREAM_POLL_INTERVAL_MS,
  startStreamPoller,
} from './stream-poller.js';
export type {
  StreamFailureEntry,
  StreamHandler,
  StreamPoller,
  StreamPollerOptions,
  StreamSourceSettings,
} from './types.js';
