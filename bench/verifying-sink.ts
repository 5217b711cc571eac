/**
 * The event-latency case's webhook receiver: the test suite's sink (tests/support/webhook-sink.ts)
 * verifying each hook's Standard Webhooks signature the moment it arrives, so that a report's
 * latency ends when its hook is both received and verified.
 */
import { verify } from '../functions/webhooks/signature.js';
import { errorMessage } from '../local/shared/error-text.js';
import { type ReceivedWebhook, startWebhookSink } from '../tests/support/webhook-sink.js';
import { firstHookFor, type VerifiedHook, verifiedHookOf } from './webhook-timings.js';

/** Far beyond any healthy latency: a report whose hook takes this long has lost it. */
const HOOK_TIMEOUT_MS = 30_000;

/**
 * A sink that verifies every hook as it arrives and wakes whoever waits for its milestone;
 * a hook that fails verification is answered 401 and fails every wait.
 */
export const startVerifyingSink = async () => {
  let secret = '';
  const verified: VerifiedHook[] = [];
  let rejection: Error | null = null;
  const waiters = new Set<() => void>();
  const check = (hook: ReceivedWebhook) => {
    try {
      const { id } = verify({ secret, headers: hook.headers as Record<string, string>, body: hook.body });
      verified.push(verifiedHookOf(hook.body, id, Date.now()));
      return { status: 204 };
    } catch (error) {
      rejection ??= new Error(`a webhook failed verification: ${errorMessage(error)}`);
      return { status: 401 };
    } finally {
      for (const wake of waiters) wake();
    }
  };
  const sink = await startWebhookSink(check);
  /** Resolves with the first verified hook of `milestoneId` (perhaps already in). */
  const hookFor = (milestoneId: string) =>
    new Promise<VerifiedHook>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`no webhook for ${milestoneId} in ${HOOK_TIMEOUT_MS} ms`)),
        HOOK_TIMEOUT_MS,
      );
      const look = () => {
        if (rejection) return done(rejection);
        const hook = firstHookFor(verified, milestoneId);
        if (hook) done(null, hook);
      };
      function done(error: Error | null, hook?: VerifiedHook) {
        clearTimeout(timer);
        waiters.delete(look);
        if (error) reject(error);
        else resolve(hook as VerifiedHook);
      }
      waiters.add(look);
      look();
    });
  return {
    url: sink.url,
    verified,
    hookFor,
    useSecret: (value: string) => {
      secret = value;
    },
    close: sink.close,
  };
};

export type VerifyingSink = Awaited<ReturnType<typeof startVerifyingSink>>;
