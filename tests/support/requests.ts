import type { Role } from '../../functions/domain/provinces.js';
import { httpEvent } from './fixtures.js';

/** The API Gateway event of `POST /projects/{projectId}/milestones`: an office's report. */
export const reportRequest = (projectId: string, role: Role, idempotencyKey: string, body: unknown) =>
  httpEvent({
    method: 'POST',
    routeKey: 'POST /projects/{projectId}/milestones',
    path: `/projects/${projectId}/milestones`,
    pathParameters: { projectId },
    role,
    headers: { 'idempotency-key': idempotencyKey },
    body,
  });

/** The API Gateway event of the coordinator's `PUT /projects/{projectId}`: the whole entry. */
export const projectDefinitionRequest = (projectId: string, body: unknown) =>
  httpEvent({
    method: 'PUT',
    routeKey: 'PUT /projects/{projectId}',
    path: `/projects/${projectId}`,
    pathParameters: { projectId },
    role: 'coordinator',
    body,
  });
