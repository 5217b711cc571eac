/**
 * `npm run watchdog`: asks the running local runtime (`npm start`) to run the watchdog now, as
 * its daily schedule would, and prints the summary. PORT (default 3000) names the runtime's port.
 */
import { WATCHDOG_ROUTE } from './watchdog-timer.js';

const main = async () => {
  const port = process.env.PORT || '3000';
  const url = `http://127.0.0.1:${port}${WATCHDOG_ROUTE}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST' });
  } catch (error) {
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    console.error(`No local runtime answers on ${url} (${reason}). Start it with \`npm start\` first.`);
    process.exit(1);
  }
  const body = await response.text();
  if (!response.ok) {
    console.error(`The watchdog run failed: ${response.status} ${body}`);
    process.exit(1);
  }
  console.log(body);
};

void main();
