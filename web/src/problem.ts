/**
 * What went wrong with a request, in words a reader can act on. The API answers errors with
 * application/problem+json (`title`, `detail`); API Gateway's own errors are `{"message": …}`;
 * a proxy may answer with anything at all.
 */
export interface LoadProblem {
  /** null: the request never got an answer (offline, DNS, connection refused). */
  status: number | null;
  title: string | null;
  detail: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

export const problemFromResponse = (
  status: number,
  contentType: string | null,
  body: string,
): LoadProblem => {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/problem+json' || mediaType === 'application/json') {
    try {
      const parsed = JSON.parse(body) as Record<string, unknown> | null;
      if (parsed !== null && typeof parsed === 'object') {
        const title = text(parsed.title) ?? text(parsed.message);
        return { status, title, detail: text(parsed.detail) };
      }
    } catch {
      // fall through: a body that is not the JSON it claims to be
    }
  }
  return { status, title: null, detail: null };
};

export const networkProblem = (): LoadProblem => ({ status: null, title: null, detail: null });
