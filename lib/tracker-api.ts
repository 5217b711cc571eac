import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition, requiresToken } from '../functions/http/routes.js';
import type { StageConfig } from './stage-config.js';
import { logRetention } from './tracker-function.js';
import type { TrackerFunctions } from './tracker-functions.js';

/**
 * Steady-state requests per second and burst, per route of the default stage: reads get more
 * room; writes (reports, project entries, subscriptions) each cost database transactions and
 * fan-out, so a caller flooding them is held back sooner.
 */
export const THROTTLE = {
  read: { rateLimit: 50, burstLimit: 100 },
  write: { rateLimit: 10, burstLimit: 20 },
} as const;

const throttleOf = (route: RouteDefinition) => (route.method === 'GET' ? THROTTLE.read : THROTTLE.write);

const corsPreflight = (origins: string[]): apigw.CorsPreflightOptions => ({
  allowOrigins: origins,
  allowMethods: [
    apigw.CorsHttpMethod.GET,
    apigw.CorsHttpMethod.POST,
    apigw.CorsHttpMethod.PUT,
    apigw.CorsHttpMethod.DELETE,
    apigw.CorsHttpMethod.OPTIONS,
  ],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
  exposeHeaders: ['idempotent-replayed', 'retry-after', 'link', 'content-disposition', 'x-correlation-id'],
  maxAge: Duration.hours(1),
});

/** Why a route served without a token is public by design (cdk-nag's APIG4 asks). */
const publicBecause = (route: RouteDefinition): string =>
  route.access === 'reader'
    ? `${route.method} ${route.path} is a public read: the stage setting publicReads publishes the ` +
      "projects' progress to anyone, and the route writes nothing."
    : `${route.method} ${route.path} is public by design: the health check, the API description or ` +
      'the dashboard page, none of which holds tracked data.';

export interface TrackerApiProps {
  config: StageConfig;
  functions: TrackerFunctions;
  authorizer: HttpJwtAuthorizer;
}

/** The HTTP API: one route per ROUTES entry, a token required exactly where `requiresToken` says. */
export class TrackerApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: TrackerApiProps) {
    super(scope, id);
    const { config, functions, authorizer } = props;

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: `Yangtze River Delta livelihood projects tracker (${config.stage})`,
      createDefaultStage: false,
      // No origin listed (prod: the dashboard is same-origin): no CORS configuration at all, so
      // API Gateway answers no preflight and sends no Access-Control-* header.
      ...(config.corsOrigins.length === 0 ? {} : { corsPreflight: corsPreflight(config.corsOrigins) }),
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention(config.logRetentionDays),
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE.read,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const none = new apigw.HttpNoneAuthorizer();
    // CloudFormation's own spelling: the property is a JSON map, passed through as written.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    for (const route of ROUTES) {
      const routeKey = apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]);
      const httpRoute = new apigw.HttpRoute(this, `${route.id}Route`, {
        httpApi: this.httpApi,
        routeKey,
        integration: new HttpLambdaIntegration(`${route.id}Integration`, functions.forRoute(route.id)),
        authorizer: requiresToken(route, config.publicReads) ? authorizer : none,
      });
      if (!requiresToken(route, config.publicReads)) {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicBecause(route) });
      }
      const { rateLimit, burstLimit } = throttleOf(route);
      routeSettings[routeKey.key] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      // A stage's route settings may name only routes that exist already.
      cfnStage.node.addDependency(httpRoute);
    }
    // The L2 stage sets one throttle for all routes; per-route settings go on the resource itself.
    cfnStage.routeSettings = routeSettings;
  }

  /** Base URL of the default stage, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
