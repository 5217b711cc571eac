import { App, Tags } from 'aws-cdk-lib';
import { checkWithNagPacks } from '../lib/nag-packs.js';
import { stageConfig } from '../lib/stage-config.js';
import { TrackerStack } from '../lib/tracker-stack.js';

const app = new App();
const config = stageConfig(app.node.tryGetContext('stage'));
if (config.stage === 'local') {
  throw new Error('The "local" stage runs without AWS (npm start); deploy "dev" or "prod".');
}

// Environment-agnostic: synthesises without an account; `cdk deploy` uses the CLI's credentials and region.
const stack = new TrackerStack(app, `LivelihoodTracker-${config.stage}`, {
  config,
  description: `Yangtze River Delta livelihood projects tracker (${config.stage})`,
});
Tags.of(stack).add('project', 'livelihood-tracker');
Tags.of(stack).add('stage', config.stage);
checkWithNagPacks(app);
