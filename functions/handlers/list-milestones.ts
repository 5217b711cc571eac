import { NotAcceptableError, NotFoundError, ValidationError } from '../domain/errors.js';
import {
  MILESTONE_CSV_PAGE_MAX,
  MILESTONE_PAGE_DEFAULT,
  MILESTONE_PAGE_MAX,
} from '../domain/milestone-pages.js';
import { toCsv } from '../http/csv.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { MILESTONE_CSV_HEADER, milestoneCsvRow } from '../http/milestone-csv.js';
import { projectIdFrom, queryFrom } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import type { HttpEvent } from '../http/types.js';
import { milestoneHistoryQuery } from '../schemas/compiled/milestones.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { MilestoneRepository } from '../storage/milestone-repository.js';
import { ProjectRepository } from '../storage/project-repository.js';
import { parseWith } from '../validation/parse-with.js';

type Representation = 'json' | 'csv';

/** `Accept: text/csv` (or `?format=csv`, for a plain download link) gives CSV; JSON otherwise. */
export const negotiate = (event: HttpEvent, format: string | undefined): Representation => {
  if (format === 'csv') return 'csv';
  if (format === 'json') return 'json';
  if (format !== undefined) {
    throw new NotAcceptableError(`Unknown format "${format}": use json or csv.`);
  }
  const accept = (event.headers.accept ?? '*/*').toLowerCase();
  const types = accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  });
  const weight = (candidates: string[]) =>
    Math.max(0, ...types.filter((t) => candidates.includes(t.type)).map((t) => t.q));
  const csv = weight(['text/csv']);
  const json = weight(['application/json', 'application/*', '*/*']);
  if (csv > 0 && csv >= json) return 'csv';
  if (json > 0) return 'json';
  throw new NotAcceptableError('This history is available as application/json or text/csv.');
};

/** GET /projects/{projectId}/milestones: the history, newest first, a page at a time. */
export const createListMilestonesHandler = (deps: Dependencies) => {
  const projects = new ProjectRepository(deps);
  const milestones = new MilestoneRepository(deps);
  return httpHandler(async ({ event }) => {
    const projectId = projectIdFrom(event);
    const { format, ...rest } = queryFrom(event);
    const representation = negotiate(event, format);
    const query = parseWith(milestoneHistoryQuery, rest, 'query');
    const max = representation === 'csv' ? MILESTONE_CSV_PAGE_MAX : MILESTONE_PAGE_MAX;
    if (query.limit !== undefined && query.limit > max) {
      throw new ValidationError('The query is not valid.', [
        { field: 'limit', message: `must be at most ${max} for ${representation}` },
      ]);
    }
    const limit = query.limit ?? (representation === 'csv' ? MILESTONE_CSV_PAGE_MAX : MILESTONE_PAGE_DEFAULT);

    const [exists, page] = await Promise.all([
      projects.exists(projectId),
      milestones.listMilestones(projectId, { province: query.province, limit, cursor: query.cursor }),
    ]);
    if (!exists) throw new NotFoundError(`There is no project ${projectId}.`);

    const next = page.nextCursor === null ? undefined : nextLink(event, page.nextCursor);
    const headers: Record<string, string> = next ? { link: `<${next}>; rel="next"` } : {};
    if (representation === 'csv') {
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${projectId}-milestones.csv"`,
          ...headers,
        },
        body: toCsv(MILESTONE_CSV_HEADER, page.milestones.map(milestoneCsvRow)),
      };
    }
    return jsonResponse(
      200,
      { projectId, milestones: page.milestones, nextCursor: page.nextCursor },
      headers,
    );
  });
};

const nextLink = (event: HttpEvent, cursor: string): string => {
  const params = new URLSearchParams(event.rawQueryString);
  params.set('cursor', cursor);
  return `${event.rawPath}?${params.toString()}`;
};

export const handler = lazyHandler(() => createListMilestonesHandler(defaultDependencies()));
