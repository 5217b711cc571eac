import { createLogger, type LogFields, type Logger } from '../../functions/observability/logger.js';

/** A logger at debug level whose lines (level, message, timestamp and fields) land in `lines`. */
export const capturingLogger = (): { log: Logger; lines: LogFields[] } => {
  const lines: LogFields[] = [];
  return { log: createLogger({ level: 'debug', sink: (_, line) => lines.push(line) }), lines };
};

/** A logger that writes nothing: for tests about something else. */
export const silentLogger = (): Logger => createLogger({ sink: () => undefined });
