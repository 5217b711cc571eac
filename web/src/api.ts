/**
 * The API, read like any other client would: relative URLs (the page is served by the API
 * itself, so no CORS), JSON in, problem documents turned into a LoadProblem.
 */
import type { Milestone } from '../../functions/domain/milestone.js';
import type { ProjectDetail, ProjectList, ProjectWithProgress } from './api-data.js';
import { type LoadProblem, networkProblem, problemFromResponse } from './problem.js';
import { HISTORY_PAGE_CAP, HISTORY_PAGE_SIZE } from './route.js';

export class LoadError extends Error {
  constructor(readonly problem: LoadProblem) {
    super(problem.title ?? `request failed (${problem.status ?? 'network'})`);
    this.name = 'LoadError';
  }
}

const getJson = async <T>(path: string, signal: AbortSignal): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store', signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new LoadError(networkProblem());
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw new LoadError(problemFromResponse(response.status, response.headers.get('content-type'), body));
  }
  return (await response.json()) as T;
};

export const fetchProjects = (year: number, signal: AbortSignal): Promise<ProjectList> =>
  getJson<ProjectList>(`/projects?year=${year}`, signal);

interface MilestonePage {
  milestones: Milestone[];
  nextCursor: string | null;
}

/** The project and its history, newest first, following `nextCursor` up to HISTORY_PAGE_CAP pages. */
export const fetchProjectDetail = async (projectId: string, signal: AbortSignal): Promise<ProjectDetail> => {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const history = async () => {
    const milestones: Milestone[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < HISTORY_PAGE_CAP; page++) {
      const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
      if (cursor !== null) query.set('cursor', cursor);
      const result: MilestonePage = await getJson<MilestonePage>(`${base}/milestones?${query}`, signal);
      milestones.push(...result.milestones);
      cursor = result.nextCursor;
      if (cursor === null) return { milestones, truncated: false };
    }
    return { milestones, truncated: true };
  };
  const [entry, { milestones, truncated }] = await Promise.all([
    getJson<ProjectWithProgress>(base, signal),
    history(),
  ]);
  return { ...entry, milestones, truncated };
};
