/** The project routes of the API description: the catalogue and its progress. */
import * as z from 'zod/mini';
import { ConflictError, ForbiddenError } from '../../domain/errors.js';
import { projectBody, projectListQuery } from '../../schemas/projects.js';
import { RAIL_PROJECT } from '../../schemas/responses/examples.js';
import { projectListSchema, projectWithProgressSchema } from '../../schemas/responses/projects.js';
import { describeQuery, projectIdPath } from './parameters.js';
import {
  CALLER_UNAUTHENTICATED,
  errorsAt,
  invalid,
  problemExample,
  problemResponse,
  READER_UNAUTHENTICATED,
  unknownProject,
} from './problems.js';
import { JSON_MEDIA_TYPE, type RouteSchema } from './types.js';

/** The rail project as the coordinator would PUT it: the stored entry without its identity and bookkeeping. */
const { id: _railId, version: _railVersion, updatedAt: _railUpdatedAt, ...railDefinition } = RAIL_PROJECT;

const projects = errorsAt('/projects');
const project = errorsAt('/projects/rail-2024');
const putProjectErrors = errorsAt('/projects/elderly-care-2024');

export const PROJECT_ROUTES: Readonly<Record<string, RouteSchema>> = {
  listProjects: {
    tag: 'Projects',
    description:
      "Every project of one annual list with the region's and each province's progress, computed now (dates in China, UTC+8).",
    query: describeQuery(z.partial(projectListQuery), {
      year: 'The annual list (2000–2100); default: the current year in China',
    }),
    responses: {
      200: {
        description: 'The projects of the year, possibly none.',
        content: { [JSON_MEDIA_TYPE]: { schema: projectListSchema } },
      },
      400: problemResponse(
        '`validation-failed`: the year is not a whole number from 2000 to 2100, or an unknown query parameter was sent.',
        {
          badYear: problemExample(
            'A year that is not a number',
            invalid('The query is not valid.', [
              { field: 'year', message: 'Invalid input: expected number, received NaN' },
            ]),
            '/projects',
          ),
        },
      ),
      401: projects.unauthenticated(READER_UNAUTHENTICATED),
      503: projects.unavailable,
      500: projects.internal,
    },
  },

  getProject: {
    tag: 'Projects',
    description: 'One catalogue entry with its region and per-province progress.',
    pathParams: projectIdPath,
    responses: {
      200: {
        description: 'The project and its progress.',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      400: problemResponse('`validation-failed`: the project id is malformed.', {
        badId: problemExample(
          'A malformed project id',
          invalid('The path is not valid.', [
            { field: 'projectId', message: 'must be lower-case letters, digits and hyphens' },
          ]),
          '/projects/Rail_2024',
        ),
      }),
      401: project.unauthenticated(READER_UNAUTHENTICATED),
      404: unknownProject('/projects/rail-2024'),
      503: project.unavailable,
      500: project.internal,
    },
  },

  putProject: {
    tag: 'Projects',
    description:
      'The coordinator creates (`201`) or replaces (`200`) a catalogue entry. The year is fixed once created; progress already reported is kept and measured against the new target.',
    pathParams: projectIdPath,
    body: {
      description: 'The full catalogue entry; omitted fields take their defaults.',
      schema: projectBody,
      examples: {
        elderlyCare: {
          summary: 'Set the target of 养老服务一体化, split between the provinces',
          value: {
            year: 2024,
            name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' },
            metric: { zh: '异地养老服务机构', en: 'Cross-province elderly-care facilities' },
            unit: { zh: '家', en: 'facilities' },
            target: 100,
            aggregation: 'sum',
            provinceTargets: { shanghai: 25, jiangsu: 25, zhejiang: 25, anhui: 25 },
          },
        },
        rail: {
          summary: 'The 2024 rail project, every field given',
          value: railDefinition,
        },
      },
    },
    responses: {
      200: {
        description: 'The entry was replaced (its `version` went up).',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      201: {
        description: 'The entry was created (version 1).',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      400: problemResponse(
        '`validation-failed`: malformed project id, malformed JSON, a field out of range or unknown, a text holding a control, bidirectional formatting or lone surrogate character, a deadline before the start, province targets on an `each` project or without a regional target.',
        {
          invalidBody: problemExample(
            'Fields out of range',
            invalid('The project definition is not valid.', [
              { field: 'name.zh', message: 'must not be empty' },
              { field: 'aggregation', message: 'Invalid option: expected one of "sum"|"each"' },
            ]),
            '/projects/elderly-care-2024',
          ),
          inconsistent: problemExample(
            'Province targets without a regional target',
            invalid('The definition of project elderly-care-2024 is not valid.', [
              { field: 'provinceTargets', message: 'need a regional target as well' },
            ]),
            '/projects/elderly-care-2024',
          ),
          malformedJson: putProjectErrors.malformedJson,
        },
      ),
      401: putProjectErrors.unauthenticated(CALLER_UNAUTHENTICATED),
      403: problemResponse(
        '`forbidden`: only the coordinator defines projects; or the token carries no role of this product.',
        {
          notCoordinator: problemExample(
            'A province office',
            new ForbiddenError('Only the coordinator may define projects.'),
            '/projects/elderly-care-2024',
          ),
          ...putProjectErrors.forbiddenRole,
        },
      ),
      409: problemResponse(
        "`project-year-immutable`: the entry belongs to another year's list. `project-exists` or `concurrent-modification`: another request created or changed the entry at the same moment; read it again and retry.",
        {
          yearImmutable: problemExample(
            'Moving a project to another year',
            new ConflictError(
              'project-year-immutable',
              'Project elderly-care-2024 belongs to the 2024 list; create a new project for 2025.',
            ),
            '/projects/elderly-care-2024',
          ),
          exists: problemExample(
            'Created by another request at the same moment',
            new ConflictError('project-exists', 'Project elderly-care-2024 already exists.'),
            '/projects/elderly-care-2024',
          ),
          concurrent: problemExample(
            'Changed by another request at the same moment',
            new ConflictError(
              'concurrent-modification',
              'Project elderly-care-2024 was changed by another request; read it again and retry.',
            ),
            '/projects/elderly-care-2024',
          ),
        },
        ['Retry-After'],
      ),
      413: putProjectErrors.tooLarge,
      415: putProjectErrors.unsupported,
      503: putProjectErrors.unavailable,
      500: putProjectErrors.internal,
    },
  },
};
