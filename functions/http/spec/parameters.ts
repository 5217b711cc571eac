/** Path and query parameters shared by the routes of the API description. */
import { z } from 'zod';
import { projectId } from '../../schemas/projects.js';

export const projectIdPath = z.object({
  projectId: projectId.meta({
    description: 'The project id: lower-case letters, digits and hyphens',
    example: 'rail-2024',
  }),
});

/** Adds a description to each query parameter without changing which parameters there are. */
export const describeQuery = (schema: z.ZodObject, descriptions: Record<string, string>): z.ZodObject =>
  z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([name, property]) => {
        const description = descriptions[name];
        return [name, description === undefined ? property : (property as z.ZodType).meta({ description })];
      }),
    ),
  );
