import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../functions/domain/provinces.js';
import { ROUTES, type RouteDefinition, requiresToken } from '../../functions/http/routes.js';
import { GSI1, TABLE_KEYS, TABLE_NAME_ENV, TTL_ATTRIBUTE } from '../../functions/storage/table-definition.js';
import { memoryOf } from '../../lib/function-memory.js';
import { STAGES, type StageConfig, validateStageConfig } from '../../lib/stage-config.js';
import { TrackerStack } from '../../lib/tracker-stack.js';
import { CDK_CONTEXT, type Synthesised, synthesise as synthesiseInto } from '../support/synthesise.js';
import { isXrayStatement, XRAY_STATEMENT } from '../support/tracing-statement.js';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  DependsOn?: string[];
};
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/**
 * One output directory for every variant: the asset cache is keyed by it, so the six handlers are
 * bundled once rather than once per stack.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-infra-'));

const synthesise = (config: StageConfig): Synthesised =>
  synthesiseInto(OUTDIR, `LivelihoodTracker-${config.stage}${config.publicReads ? '' : '-private'}`, config);

const logicalId = (stack: TrackerStack, element: unknown): string =>
  stack.getLogicalId(element as CfnElement);

const functionId = (s: Synthesised, route: RouteDefinition): string =>
  logicalId(s.stack, s.stack.functions.forRoute(route.id).node.defaultChild);

const resourceOf = (s: Synthesised, id: string): Resource => {
  const resource = s.template.toJSON().Resources[id] as Resource | undefined;
  if (resource === undefined) throw new Error(`No resource ${id}`);
  return resource;
};

const routeResource = (s: Synthesised, route: RouteDefinition): Resource => {
  const routes = Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
  const found = routes.filter((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
  expect(found).toHaveLength(1);
  return found[0] as Resource;
};

/** Every statement of every policy attached to the route's function role. */
const statementsOf = (s: Synthesised, route: RouteDefinition): Statement[] => {
  const role = s.stack.functions.forRoute(route.id).role;
  const roleId = logicalId(s.stack, role?.node.defaultChild);
  const policies = Object.values(s.template.findResources('AWS::IAM::Policy')) as Resource[];
  return policies
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const allStatements = (s: Synthesised): Statement[] => {
  const resources = Object.values(s.template.toJSON().Resources) as Resource[];
  const inline = resources.flatMap((r) => {
    if (r.Type === 'AWS::IAM::Policy') return [r.Properties.PolicyDocument];
    if (r.Type === 'AWS::IAM::Role') {
      return ((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument);
    }
    return [];
  }) as { Statement: Statement[] }[];
  return inline.flatMap((doc) => doc.Statement);
};

const actions = (statements: Statement[]): string[] =>
  statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * The stream publisher, the notifier, the deliverer and the replay worker (tracker-events.test.ts
 * covers them), and the watchdog (tracker-watchdog.test.ts).
 */
const EVENT_FUNCTIONS = 5;

const readerRoutes = ROUTES.filter((r) => r.access === 'reader');
const callerRoutes = ROUTES.filter((r) => r.access === 'caller');
const health = ROUTES.find((r) => r.id === 'getHealth') as RouteDefinition;

let dev: Synthesised;
let prod: Synthesised;
let privateReads: Synthesised;
let all: Synthesised[];

beforeAll(() => {
  dev = synthesise(STAGES.dev);
  prod = synthesise(STAGES.prod);
  privateReads = synthesise({ ...STAGES.dev, publicReads: false });
  all = [dev, prod, privateReads];
}, 120_000);

afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

describe('the table', () => {
  it('bills per request and keys items by string PK and SK', () => {
    dev.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      ]),
    });
  });

  it('keeps point-in-time recovery, streams new and old images and expires items by expiresAt', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('has GSI1 keyed by string GSI1PK and GSI1SK projecting all attributes', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: GSI1.partitionKey, AttributeType: 'S' },
        { AttributeName: GSI1.sortKey, AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: GSI1.indexName,
          KeySchema: [
            { AttributeName: GSI1.partitionKey, KeyType: 'HASH' },
            { AttributeName: GSI1.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('survives deletion of the prod stack and is protected from deletion in prod', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('is neither retained nor deletion-protected in dev', () => {
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    dev.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
  });
});

describe('the API', () => {
  it('has exactly one route per ROUTES entry, each integrated with its own function', () => {
    for (const s of all) {
      s.template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
      for (const route of ROUTES) {
        const target = JSON.stringify(routeResource(s, route).Properties.Target);
        const integrations = s.template.findResources('AWS::ApiGatewayV2::Integration', {
          Properties: {
            IntegrationType: 'AWS_PROXY',
            PayloadFormatVersion: '2.0',
            IntegrationUri: { 'Fn::GetAtt': [functionId(s, route), 'Arn'] },
          },
        });
        const [integrationId] = Object.keys(integrations);
        expect(integrationId, route.id).toBeDefined();
        expect(target).toContain(`"${integrationId}"`);
      }
    }
  });

  it('requires a Cognito JWT on every caller route whatever the stage', () => {
    for (const s of all) {
      for (const route of callerRoutes) {
        const { Properties } = routeResource(s, route);
        expect(Properties.AuthorizationType, `${s.stack.stackName} ${route.id}`).toBe('JWT');
        expect(Properties.AuthorizerId).toBeDefined();
      }
    }
  });

  it('serves reader routes without a token when the stage has public reads', () => {
    expect(dev.config.publicReads).toBe(true);
    for (const route of readerRoutes) {
      expect(requiresToken(route, true)).toBe(false);
      expect(routeResource(dev, route).Properties.AuthorizationType, route.id).toBe('NONE');
      expect(routeResource(dev, route).Properties.AuthorizerId).toBeUndefined();
    }
  });

  it('requires a JWT on reader routes when the stage turns public reads off', () => {
    for (const route of readerRoutes) {
      const { Properties } = routeResource(privateReads, route);
      expect(Properties.AuthorizationType, route.id).toBe('JWT');
      expect(Properties.AuthorizerId).toBeDefined();
    }
  });

  it('serves /health without a token even when reads are private', () => {
    for (const s of all) {
      expect(routeResource(s, health).Properties.AuthorizationType).toBe('NONE');
      expect(routeResource(s, health).Properties.AuthorizerId).toBeUndefined();
    }
  });

  it("verifies tokens issued by the stack's user pool for its app client", () => {
    const poolId = logicalId(dev.stack, dev.stack.auth.userPool.node.defaultChild);
    const clientId = logicalId(dev.stack, dev.stack.auth.userPoolClient.node.defaultChild);
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
          ],
        },
      },
    });
  });

  it('throttles the auto-deployed default stage and writes access logs', () => {
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
  });

  it('throttles every write route below the reads, and each route by its own key', () => {
    const stages = Object.values(dev.template.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
    const [stage] = stages;
    const settings = stage?.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    expect(Object.keys(settings).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const expected =
        route.method === 'GET'
          ? { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }
          : { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 };
      expect(settings[`${route.method} ${route.path}`], route.id).toEqual(expected);
    }
    expect(settings['POST /projects/{projectId}/milestones']?.ThrottlingRateLimit).toBeLessThan(
      settings['GET /projects/{projectId}/milestones']?.ThrottlingRateLimit ?? 0,
    );
    // The stage names only routes that exist: CloudFormation must create them first.
    const routeIds = Object.keys(dev.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('allows browsers from the stage CORS origins to send a bearer token', () => {
    expect(STAGES.dev.corsOrigins.length).toBeGreaterThan(0);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: STAGES.dev.corsOrigins,
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
      }),
    });
  });

  it('lets a browser read the correlation id of each answer', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ ExposeHeaders: Match.arrayWith(['x-correlation-id']) }),
    });
  });

  it('has no CORS configuration at all in prod, whose dashboard is served by the API itself', () => {
    expect(STAGES.prod.corsOrigins).toEqual([]);
    const [api, ...others] = Object.values(
      prod.template.findResources('AWS::ApiGatewayV2::Api'),
    ) as Resource[];
    expect(others).toEqual([]);
    expect(api?.Properties.ProtocolType).toBe('HTTP');
    expect(api?.Properties).not.toHaveProperty('CorsConfiguration');
  });
});

describe('the functions', () => {
  it('run each route on its own arm64 Node.js 24 function with the memory chosen for it and 10 s', () => {
    // Besides the routes: the event functions (publisher, notifier, deliverer, replay worker) and the watchdog.
    dev.template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + EVENT_FUNCTIONS);
    const functions = Object.values(dev.template.findResources('AWS::Lambda::Function')) as Resource[];
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
    }
    for (const route of ROUTES) {
      const { Properties } = resourceOf(dev, functionId(dev, route));
      expect(Properties.Timeout, route.id).toBe(10);
      expect(Properties.MemorySize, route.id).toBe(memoryOf(route.id).megabytes);
    }
  });

  it('all run on Node.js 24 with active X-Ray tracing, in every stage', () => {
    for (const s of all) {
      const functions = Object.entries(s.template.findResources('AWS::Lambda::Function')) as [
        string,
        Resource,
      ][];
      expect(functions).toHaveLength(ROUTES.length + EVENT_FUNCTIONS);
      for (const [id, fn] of functions) {
        expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
        expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      }
    }
  });

  it('bundle each handler as minified ESM with a require shim, a source map and the AWS SDK inside', () => {
    for (const route of ROUTES) {
      const code = resourceOf(dev, functionId(dev, route)).Properties.Code as { S3Key: string };
      const assetDir = join(dev.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(
        bundle.startsWith("import { createRequire } from 'module'; const require = createRequire("),
      ).toBe(true);
      expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b/);
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      // Minified: a few very long lines (the rest are newlines inside template literals).
      expect(bundle.length / bundle.split('\n').length, route.id).toBeGreaterThan(1000);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });

  it('enable source maps and name the stage in every function, and the table only where it is used', () => {
    const tableId = logicalId(dev.stack, dev.stack.table.table.node.defaultChild);
    for (const route of ROUTES) {
      const env = (resourceOf(dev, functionId(dev, route)).Properties.Environment as { Variables: object })
        .Variables as Record<string, unknown>;
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(env.STAGE).toBe('dev');
      if (route.tableAccess === 'none') expect(env[TABLE_NAME_ENV]).toBeUndefined();
      else expect(env[TABLE_NAME_ENV]).toEqual({ Ref: tableId });
    }
  });

  it('log each function to its own log group kept for the stage retention period', () => {
    for (const s of [dev, prod]) {
      const groups = s.template.findResources('AWS::Logs::LogGroup');
      expect(Object.keys(groups)).toHaveLength(ROUTES.length + EVENT_FUNCTIONS + 1);
      for (const group of Object.values(groups) as Resource[]) {
        expect(group.Properties.RetentionInDays).toBe(s.config.logRetentionDays);
      }
      const used = ROUTES.map(
        (route) =>
          (resourceOf(s, functionId(s, route)).Properties.LoggingConfig as { LogGroup: { Ref: string } })
            .LogGroup.Ref,
      );
      expect(new Set(used).size).toBe(ROUTES.length);
      for (const id of used) expect(groups[id]).toBeDefined();
    }
  });
});

describe('the permissions', () => {
  it('never grant a wildcard action or an unscoped resource', () => {
    for (const s of all) {
      // X-Ray's actions take no resource-level permission: the one '*' allowed, in its exact form.
      const statements = allStatements(s).filter((st) => !isXrayStatement(st));
      expect(statements.length).toBeGreaterThan(0);
      for (const action of actions(statements)) expect(action).not.toContain('*');
      for (const statement of statements) {
        for (const resource of asList(statement.Resource)) {
          expect(resource).not.toBe('*');
          if (typeof resource === 'string') expect(resource).not.toMatch(/(^|:)\*$/);
        }
      }
    }
  });

  it('scope every table permission to the table and its one index', () => {
    const tableId = logicalId(dev.stack, dev.stack.table.table.node.defaultChild);
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    for (const route of ROUTES) {
      const tableStatements = statementsOf(dev, route).filter((st) =>
        actions([st]).some((action) => action.startsWith('dynamodb:')),
      );
      for (const statement of tableStatements) {
        expect(actions([statement]).every((action) => action.startsWith('dynamodb:'))).toBe(true);
        for (const resource of asList(statement.Resource)) {
          expect([tableArn, { 'Fn::Join': ['', [tableArn, '/index/GSI1']] }]).toContainEqual(resource);
        }
      }
    }
  });

  it('give read-only routes reads and no write action', () => {
    for (const route of ROUTES.filter((r) => r.tableAccess === 'read')) {
      const granted = actions(statementsOf(dev, route));
      expect(granted).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']),
      );
      for (const action of WRITE_ACTIONS) expect(granted, route.id).not.toContain(action);
      expect(granted, route.id).not.toContain('dynamodb:Scan');
    }
  });

  it('let write routes put, update and condition-check items (what TransactWriteItems needs)', () => {
    for (const route of ROUTES.filter((r) => r.tableAccess === 'write')) {
      expect(actions(statementsOf(dev, route))).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ]),
      );
    }
  });

  it('give the health function no permissions beyond writing to its own log group and tracing', () => {
    expect(health.tableAccess).toBe('none');
    const fnId = functionId(dev, health);
    const logGroupId = (resourceOf(dev, fnId).Properties.LoggingConfig as { LogGroup: { Ref: string } })
      .LogGroup.Ref;
    expect(statementsOf(dev, health)).toEqual([
      XRAY_STATEMENT,
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
    ]);
    const roleId = logicalId(dev.stack, dev.stack.functions.forRoute(health.id).role?.node.defaultChild);
    const role = resourceOf(dev, roleId);
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
  });

  it('attach no AWS managed policy to any role, and let each function write to its own log group only', () => {
    for (const s of all) {
      const roles = Object.entries(s.template.findResources('AWS::IAM::Role')) as [string, Resource][];
      expect(roles.length).toBeGreaterThan(ROUTES.length);
      for (const [id, role] of roles) expect(role.Properties, id).not.toHaveProperty('ManagedPolicyArns');
      expect(JSON.stringify(s.template.toJSON())).not.toContain(':iam::aws:policy/');
      for (const route of ROUTES) {
        const logGroupId = (
          resourceOf(s, functionId(s, route)).Properties.LoggingConfig as { LogGroup: { Ref: string } }
        ).LogGroup.Ref;
        const logStatements = statementsOf(s, route).filter((st) =>
          actions([st]).some((a) => a.startsWith('logs:')),
        );
        expect(logStatements, route.id).toEqual([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          },
        ]);
      }
    }
  });
});

describe('the user pool', () => {
  it('has one group per role', () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPoolGroup', ROLES.length);
    for (const role of ROLES) {
      dev.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    }
  });

  it('lets only administrators create accounts, signs in by email and demands strong passwords', () => {
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    const pool = Object.values(dev.template.findResources('AWS::Cognito::UserPool'))[0] as Resource;
    const policy = (pool.Properties.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy;
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('requires TOTP of every user in prod and offers it in dev, never by SMS', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    expect([STAGES.prod.mfa, STAGES.dev.mfa]).toEqual(['required', 'optional']);
    for (const s of all) expect(JSON.stringify(s.template.toJSON())).not.toContain('SMS_MFA');
  });

  it('has a secretless app client for password and SRP sign-in with one-hour tokens and no OAuth', () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes', IdToken: 'minutes' }),
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });
});

describe('the stack outputs', () => {
  it('name the API URL, table, user pool, app client and region', () => {
    for (const name of ['ApiUrl', 'TableName', 'UserPoolId', 'UserPoolClientId', 'Region']) {
      dev.template.hasOutput(name, { Value: Match.anyValue() });
    }
    dev.template.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/'])] },
    });
  });
});

describe('the stage settings', () => {
  it('are all valid as committed', () => {
    for (const config of Object.values(STAGES)) expect(() => validateStageConfig(config)).not.toThrow();
  });

  it('refuse a wildcard CORS origin, a plain-http origin and optional MFA in prod, at synthesis', () => {
    const refused: [Partial<StageConfig>, RegExp][] = [
      [{ corsOrigins: ['*'] }, /may not hold "\*" in prod/],
      [{ corsOrigins: ['https://ok.example.gov.cn', '*'] }, /may not hold "\*" in prod/],
      [{ corsOrigins: ['http://dashboard.example.gov.cn'] }, /not https/],
      [{ mfa: 'optional' }, /mfa must be "required" in prod/],
    ];
    for (const [change, message] of refused) {
      const app = new App({ context: CDK_CONTEXT, outdir: OUTDIR });
      expect(() => new TrackerStack(app, 'Refused', { config: { ...STAGES.prod, ...change } })).toThrow(
        message,
      );
    }
    expect(() =>
      validateStageConfig({ ...STAGES.prod, corsOrigins: ['https://dashboard.example.gov.cn'] }),
    ).not.toThrow();
  });

  it('refuse anything but a bare origin in any stage, and allow a wildcard outside prod', () => {
    for (const origin of ['https://a.example/', 'https://a.example/path', 'a.example', 'https://*.example']) {
      expect(() => validateStageConfig({ ...STAGES.dev, corsOrigins: [origin] }), origin).toThrow(
        /is not an origin/,
      );
    }
    expect(() =>
      validateStageConfig({ ...STAGES.dev, corsOrigins: ['*', 'http://localhost:5173'] }),
    ).not.toThrow();
  });
});
