/**
 * Each deployed function's memory size, and why. Lambda gives a function CPU in proportion to its
 * memory (1,769 MB is one vCPU; 512 MB under a third of one), and a cold start (loading the
 * runtime, then importing the bundle) is CPU-bound, as is parsing a batch; waiting on DynamoDB,
 * KMS, SQS or a subscriber's webhook is not, yet is billed by memory all the same.
 */
export interface MemoryChoice {
  megabytes: number;
  why: string;
}

/** A caller waits on it: its cold start is CPU-bound, its warm requests mostly wait on DynamoDB. */
const CALLER_WAITS: MemoryChoice = {
  megabytes: 1024,
  why:
    'a caller waits on it: twice the CPU of 512 MB halves the cold start, while a warm request mostly waits ' +
    'on DynamoDB for a few tens of milliseconds, so the doubled rate costs little',
};

/** Tiny bundles with no AWS client and nothing to compute. */
const NO_WORK: MemoryChoice = {
  megabytes: 256,
  why: 'a bundle of a few KB with no AWS client and an answer it has ready: more CPU would buy nothing',
};

/** Its time is spent waiting on the network, which more memory does not shorten. */
const WAITS_ON_NETWORK: MemoryChoice = {
  megabytes: 512,
  why: 'no caller waits on it and its time goes to waiting on AWS or a webhook, which more CPU does not shorten',
};

export const FUNCTION_MEMORY: Readonly<Record<string, MemoryChoice>> = {
  getDashboard: NO_WORK,
  getHealth: NO_WORK,
  getOpenApi: {
    megabytes: 256,
    why: 'serves the API description generated at build time (no AWS client); called rarely, and answers are cached',
  },
  listProjects: CALLER_WAITS,
  getProject: CALLER_WAITS,
  putProject: CALLER_WAITS,
  listMilestones: CALLER_WAITS,
  recordMilestone: CALLER_WAITS,
  createSubscription: CALLER_WAITS,
  listSubscriptions: CALLER_WAITS,
  deleteSubscription: CALLER_WAITS,
  rotateSubscriptionSecret: CALLER_WAITS,
  listDeliveries: CALLER_WAITS,
  replaySubscription: CALLER_WAITS,
  getReplay: CALLER_WAITS,
  publisher: {
    megabytes: 1024,
    why: 'parses and validates every stream batch (CPU) and sits on the path of every event to a webhook',
  },
  notifier: WAITS_ON_NETWORK,
  deliverer: WAITS_ON_NETWORK,
  replayWorker: WAITS_ON_NETWORK,
  watchdog: {
    megabytes: 512,
    why: 'runs once a day and nobody waits on it; 512 MB keeps its run well inside its timeout',
  },
};

/** The memory of the function `name` (a route id or an event function's key); a missing one fails synthesis. */
export const memoryOf = (name: string): MemoryChoice => {
  const choice = FUNCTION_MEMORY[name];
  if (choice === undefined)
    throw new Error(`No memory size for function "${name}" in lib/function-memory.ts`);
  return choice;
};
