import type { Milestone } from '../domain/milestone.js';
import { PROVINCE_NAMES } from '../domain/provinces.js';

/** The columns of the milestone history's CSV, in order. */
export const MILESTONE_CSV_HEADER = [
  'recorded_at',
  'project_id',
  'province',
  'province_zh',
  'as_of',
  'value',
  'kind',
  'previous_value',
  'previous_as_of',
  'correction_reason',
  'note',
  'evidence_url',
  'recorded_by',
  'role',
  'milestone_id',
] as const;

export const milestoneCsvRow = (m: Milestone): unknown[] => [
  m.recordedAt,
  m.projectId,
  m.province,
  PROVINCE_NAMES[m.province].zh,
  m.asOf,
  m.value,
  m.kind,
  m.previousValue,
  m.previousAsOf,
  m.correctionReason,
  m.note,
  m.evidenceUrl,
  m.recordedBy.username,
  m.recordedBy.role,
  m.id,
];
