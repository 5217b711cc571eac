/**
 * The HTTP API, declared once. The CDK stack creates one route and one function per entry;
 * the local runtime serves the same entries with the same handlers; the tests walk this list.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * - `public`: nobody needs a token.
 * - `reader`: public when the stage sets `publicReads`, otherwise any valid token.
 * - `caller`: a valid token always; the handler then checks role and province.
 */
export type RouteAccess = 'public' | 'reader' | 'caller';

/** What the route's function may do to the table: drives least-privilege grants. */
export type TableAccess = 'none' | 'read' | 'write';

export interface RouteDefinition {
  /** Stable identifier, also the operationId in the API description. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** Module under functions/handlers/ that exports `handler`. */
  handler: string;
  access: RouteAccess;
  tableAccess: TableAccess;
  /**
   * The function seals webhook signing secrets (KMS GenerateDataKey on the secrets key). No route
   * opens one: only the deliverer may.
   */
  sealsSecrets?: boolean;
  /** The function starts replays (SQS SendMessage on the replay queue). */
  queuesReplays?: boolean;
  summary: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'getDashboard',
    method: 'GET',
    path: '/',
    handler: 'dashboard',
    access: 'public',
    tableAccess: 'none',
    summary: 'The progress dashboard (HTML page; it reads the API like any client)',
  },
  {
    id: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi',
    access: 'public',
    tableAccess: 'none',
    summary: 'This API described in OpenAPI 3.1',
  },
  {
    id: 'getHealth',
    method: 'GET',
    path: '/health',
    handler: 'health',
    access: 'public',
    tableAccess: 'none',
    summary: 'Liveness check',
  },
  {
    id: 'listProjects',
    method: 'GET',
    path: '/projects',
    handler: 'list-projects',
    access: 'reader',
    tableAccess: 'read',
    summary: "All projects of a year with the region's and each province's progress",
  },
  {
    id: 'getProject',
    method: 'GET',
    path: '/projects/{projectId}',
    handler: 'get-project',
    access: 'reader',
    tableAccess: 'read',
    summary: 'One project with per-province progress',
  },
  {
    id: 'putProject',
    method: 'PUT',
    path: '/projects/{projectId}',
    handler: 'put-project',
    access: 'caller',
    tableAccess: 'write',
    summary: 'Create or update a catalogue entry (coordinator only)',
  },
  {
    id: 'listMilestones',
    method: 'GET',
    path: '/projects/{projectId}/milestones',
    handler: 'list-milestones',
    access: 'reader',
    tableAccess: 'read',
    summary: 'Milestone history, newest first, paginated; JSON or CSV',
  },
  {
    id: 'recordMilestone',
    method: 'POST',
    path: '/projects/{projectId}/milestones',
    handler: 'record-milestone',
    access: 'caller',
    tableAccess: 'write',
    summary: "Record a province's cumulative progress as of a date",
  },
  {
    id: 'createSubscription',
    method: 'POST',
    path: '/subscriptions',
    handler: 'create-subscription',
    access: 'caller',
    tableAccess: 'write',
    sealsSecrets: true,
    summary: 'Subscribe a webhook to events; the signing secret is shown only in this response',
  },
  {
    id: 'listSubscriptions',
    method: 'GET',
    path: '/subscriptions',
    handler: 'list-subscriptions',
    access: 'caller',
    tableAccess: 'read',
    summary: "The caller's subscriptions (the coordinator's: all), without secrets",
  },
  {
    id: 'deleteSubscription',
    method: 'DELETE',
    path: '/subscriptions/{subscriptionId}',
    handler: 'delete-subscription',
    access: 'caller',
    tableAccess: 'write',
    summary: 'Stop a subscription (owner or coordinator)',
  },
  {
    id: 'rotateSubscriptionSecret',
    method: 'POST',
    path: '/subscriptions/{subscriptionId}/rotate-secret',
    handler: 'rotate-subscription-secret',
    access: 'caller',
    tableAccess: 'write',
    sealsSecrets: true,
    summary: 'A new signing secret (owner or coordinator); the old one also signs for 24 hours',
  },
  {
    id: 'listDeliveries',
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/deliveries',
    handler: 'list-deliveries',
    access: 'caller',
    tableAccess: 'read',
    summary: 'Recent delivery attempts of a subscription',
  },
  {
    id: 'replaySubscription',
    method: 'POST',
    path: '/subscriptions/{subscriptionId}/replay',
    handler: 'replay-subscription',
    access: 'caller',
    tableAccess: 'write',
    queuesReplays: true,
    summary: "Start re-delivering a subscription's events since a time (202 with the replay)",
  },
  {
    id: 'getReplay',
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/replays/{replayId}',
    handler: 'get-replay',
    access: 'caller',
    tableAccess: 'read',
    summary: 'Where a replay stands: state and counts',
  },
];

/** Whether a request to this route must carry a verified token on a stage. */
export const requiresToken = (route: RouteDefinition, publicReads: boolean): boolean =>
  route.access === 'caller' || (route.access === 'reader' && !publicReads);
