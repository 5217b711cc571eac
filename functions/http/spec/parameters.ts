/** Path and query parameters shared by the routes of the API description. */
import * as z from 'zod/mini';
import { PATH_PARAMETERS, type PathParameterName } from '../../schemas/path-parameters.js';

/** A path parameter as a schema: the rule the handlers check it with (http/request.ts). */
export const pathParameter = (name: PathParameterName, meta: { description: string; example: string }) =>
  z.string().check(z.regex(PATH_PARAMETERS[name].pattern, PATH_PARAMETERS[name].message), z.meta(meta));

export const projectIdPath = z.object({
  projectId: pathParameter('projectId', {
    description: 'The project id: lower-case letters, digits and hyphens',
    example: 'rail-2024',
  }),
});

/** Adds a description to each query parameter without changing which parameters there are. */
export const describeQuery = (
  schema: z.ZodMiniObject,
  descriptions: Record<string, string>,
): z.ZodMiniObject =>
  z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([name, property]) => {
        const description = descriptions[name];
        return [
          name,
          description === undefined ? property : (property as z.ZodMiniType).check(z.describe(description)),
        ];
      }),
    ),
  );
