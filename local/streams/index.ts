export { toLambdaRecord } from './lambda-record.js';
export { startStreamPoller } from './stream-poller.js';
export type {
  StreamFailureEntry,
  StreamHandler,
  StreamPoller,
  StreamPollerOptions,
  StreamSourceSettings,
} from './types.js';
