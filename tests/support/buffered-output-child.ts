/**
 * A process whose stdout and stderr are buffered as the local runtime's are (local/start.ts), for
 * tests/local/buffered-output.test.ts: it writes LINES numbered lines, alternating between the two
 * streams and spread over several turns of the event loop, then ends as END says: `drain` (nothing
 * left to do), `exit` (process.exit in the turn of the last line), `throw` (an uncaught error in
 * that turn) or `reject` (an unhandled rejection in that turn).
 */
import { bufferOutput } from '../../local/buffered-output.js';

bufferOutput([process.stdout, process.stderr]);
const lines = Number(process.env.LINES ?? 100);
const end = process.env.END ?? 'drain';
const PER_TURN = 7;

const writeFrom = (first: number) => {
  const last = Math.min(lines, first + PER_TURN);
  for (let n = first; n < last; n++) {
    const stream = n % 3 === 0 ? process.stderr : process.stdout;
    stream.write(`line ${n}\n`);
  }
  if (last < lines) {
    setImmediate(() => writeFrom(last));
    return;
  }
  if (end === 'exit') process.exit(0);
  if (end === 'throw') throw new Error('the last line was written');
  if (end === 'reject') void Promise.reject(new Error('the last line was written'));
};

writeFrom(0);
