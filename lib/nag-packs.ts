import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AWS Solutions and Serverless packs over every stack of `app` when it synthesises:
 * any finding, error or warning, that is not acknowledged on its construct (with its reason, next
 * to the construct) fails the synthesis and is written to `validation-report.json` in the output
 * directory. `cdk synth` and tests/infra/cdk-nag.test.ts both use it.
 */
export const checkWithNagPacks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
};
