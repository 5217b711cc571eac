import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../functions/domain/provinces.js';
import type { StageConfig } from './stage-config.js';

export interface TrackerAuthProps {
  /** Retain the user pool on stack deletion (prod). */
  protectData: boolean;
  /** Multi-factor sign-in with an authenticator app (TOTP): required of every user, or optional. */
  mfa: StageConfig['mfa'];
}

const MFA: Readonly<Record<StageConfig['mfa'], cognito.Mfa>> = {
  required: cognito.Mfa.REQUIRED,
  optional: cognito.Mfa.OPTIONAL,
};

/**
 * Who may call the API: a Cognito user pool with one group per role (the handler reads
 * `cognito:groups`), an app client for the offices' tools, and the HTTP API JWT authorizer.
 */
export class TrackerAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: TrackerAuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A few dozen office accounts: the Lite plan covers password/SRP sign-in and TOTP.
      featurePlan: cognito.FeaturePlan.LITE,
      // An authenticator app's codes only: SMS would need an SNS role and a sending budget.
      mfa: MFA[props.mfa],
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'A few dozen office accounts, each created by an administrator (no self sign-up) and signing ' +
        "in with a strong password and TOTP: the Plus plan's threat protection, billed per user, " +
        'guards against sign-up abuse and credential stuffing at a scale this pool does not have.',
    });
    if (props.mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'The stage setting `mfa` makes TOTP optional on this (non-production) stage so test ' +
          'accounts sign in without an authenticator; prod requires it of every user.',
      });
    }

    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Members act as ${role}`,
      });
    }

    this.userPoolClient = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      // Offices sign in from scripts and the SPA with username/password or SRP; no hosted UI or OAuth redirect.
      disableOAuth: true,
      authFlows: { userPassword: true, userSrp: true },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });

    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [this.userPoolClient.userPoolClientId],
    });
  }
}
