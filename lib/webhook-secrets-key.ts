import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { SECRET_KEY_ENV } from '../functions/crypto/secret-box-from-env.js';

/**
 * What the account may do to the key itself: manage it, never use it. Without the usual `kms:*`
 * for the account, no IAM policy can hand a role encryption or decryption with it: only the
 * functions this construct names in the key policy may.
 */
const ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:ListKeyRotations',
  'kms:RotateKeyOnDemand',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

export interface WebhookSecretsKeyProps {
  /** Retain the key on stack deletion (prod), like the table whose secrets it seals. */
  protectData: boolean;
}

/**
 * The KMS key that seals webhook signing secrets (envelope encryption, functions/crypto/). The
 * routes that make secrets may only generate data keys; the deliverer may only decrypt them.
 */
export class WebhookSecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: WebhookSecretsKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Seals webhook signing secrets; only the deliverer may decrypt them',
      enableKeyRotation: true,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountManagesTheKey',
            principals: [new iam.AccountRootPrincipal()],
            actions: ADMIN_ACTIONS,
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  /** `fn` may seal secrets: kms:GenerateDataKey, and nothing else, on this key. */
  allowSealing(fn: NodejsFunction): void {
    this.allow(fn, 'kms:GenerateDataKey');
  }

  /** `fn` may open sealed secrets: kms:Decrypt, and nothing else, on this key. */
  allowOpening(fn: NodejsFunction): void {
    this.allow(fn, 'kms:Decrypt');
  }

  private allow(fn: NodejsFunction, action: string): void {
    const role = fn.role;
    if (role === undefined) throw new Error(`${fn.node.path} has no role to grant ${action} to`);
    fn.addEnvironment(SECRET_KEY_ENV.kmsKeyId, this.key.keyArn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: [this.key.keyArn] }));
    // The key policy names the role itself: the account's IAM policies cannot grant key use.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ArnPrincipal(role.roleArn)],
        actions: [action],
        resources: ['*'],
      }),
    );
  }
}
