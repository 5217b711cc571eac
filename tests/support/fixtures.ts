import type { Context } from 'aws-lambda';
import type { Caller } from '../../functions/domain/caller.js';
import { CATALOGUE_2024 } from '../../functions/domain/catalogue-2024.js';
import type { ProvinceState } from '../../functions/domain/milestone.js';
import type { Project } from '../../functions/domain/project.js';
import type { Province, Role } from '../../functions/domain/provinces.js';
import type { StoredSubscription } from '../../functions/domain/subscription.js';
import type { Notice, OverdueFinding } from '../../functions/domain/watchdog.js';
import type { HttpEvent, JwtClaims } from '../../functions/http/types.js';

/** A 2024 catalogue entry as stored (version 1), with optional changes. */
export const projectFixture = (id: string, changes: Partial<Project> = {}): Project => {
  const entry = CATALOGUE_2024.find((p) => p.id === id);
  if (!entry) throw new Error(`no catalogue entry ${id}`);
  return { ...entry, version: 1, updatedAt: '2024-01-01T00:00:00.000Z', ...changes };
};

export const allCatalogueProjects = (updatedAt = '2024-01-01T00:00:00.000Z'): Project[] =>
  CATALOGUE_2024.map((entry) => ({ ...entry, version: 1, updatedAt }));

export const callerFixture = (role: Role, subject = `user-${role}`): Caller => ({
  subject,
  role,
  username: `${role}-office`,
});

export const provinceState = (
  province: Province,
  value: number,
  asOf: string,
  changes: Partial<ProvinceState> = {},
): ProvinceState => ({
  province,
  value,
  asOf,
  lastReportedAt: `${asOf}T04:00:00.000Z`,
  lastMilestoneId: `m-${province}-${asOf}`,
  reportCount: 1,
  version: 1,
  ...changes,
});

/** Claims as the HTTP API JWT authorizer hands them to a function (arrays flattened to "[a b]"). */
export const authorizerClaims = (role: Role, subject = `user-${role}`): JwtClaims => ({
  sub: subject,
  'cognito:groups': `[${role}]`,
  'cognito:username': `${role}-office`,
  iss: 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_example',
  client_id: 'example-client',
  token_use: 'access',
  exp: '1893456000',
  iat: '1893452400',
});

export interface EventOptions {
  method?: string;
  routeKey?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  role?: Role;
  subject?: string;
}

/** An API Gateway HTTP API payload 2.0 event, in the shape AWS documents and delivers. */
export const httpEvent = (options: EventOptions = {}): HttpEvent => {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/health';
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'abc123.execute-api.ap-northeast-1.amazonaws.com',
    'user-agent': 'curl/8.5.0',
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-proto': 'https',
    ...(body === undefined || options.rawBody !== undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-northeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: options.routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '30/Jun/2024:08:00:00 +0000',
      timeEpoch: 1719734400000,
      ...(options.role
        ? { authorizer: { jwt: { claims: authorizerClaims(options.role, options.subject), scopes: null } } }
        : {}),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  } as HttpEvent;
};

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:test',
  memoryLimitInMB: '512',
  awsRequestId: 'req-test-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** 2024-06-30 12:00 in China. */
export const MID_2024 = new Date('2024-06-30T04:00:00.000Z');

/** An active subscription to everything, owned by an office, with a fixed secret unless given one. */
export const subscriptionFixture = (
  id: string,
  changes: Partial<StoredSubscription> = {},
  at = '2024-12-02T00:00:00.000Z',
): StoredSubscription => ({
  id,
  owner: { subject: 'user-coordinator', username: 'coordinator-office', role: 'coordinator' },
  url: 'https://hooks.example.gov.cn/x',
  eventTypes: [],
  projectIds: [],
  provinces: [],
  description: null,
  status: 'active',
  disabledReason: null,
  createdAt: at,
  updatedAt: at,
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  ...changes,
});

/** An overdue notice of Anhui on rail-2024, a province that never reported, noted at `notedAt`. */
export const overdueNoticeFixture = (
  notedAt: string,
  changes: Partial<OverdueFinding> & { correlationId?: string } = {},
): Notice => ({
  kind: 'overdue',
  projectId: 'rail-2024',
  province: 'anhui',
  lastMilestoneId: null,
  lastReportedAt: null,
  lastAsOf: null,
  daysSinceLastReport: 9,
  reportingIntervalDays: 7,
  currentValue: 0,
  ...changes,
  notedAt,
});
