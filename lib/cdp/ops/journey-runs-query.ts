import { z } from 'zod';
import { pageQuery } from './contract';

/**
 * `GET /api/ops/journeys/runs?person=&journey=`: an empty filter or a journey id no journey has is a 400 saying what
 * is accepted (an unknown id used to answer an empty list, as if the journey had no runs).
 */
export function journeyRunsQuery(journeyIds: readonly string[]) {
  const journey = `journey must be one of ${journeyIds.join(', ')}; leave it out for every journey`;
  return pageQuery(100, 500).extend({
    person: z
      .string()
      .trim()
      .min(1, 'person must be a person id or an anonymous id; leave it out for every profile')
      .optional(),
    journey: z
      .string()
      .trim()
      .refine((id) => journeyIds.includes(id), journey)
      .optional(),
  });
}
