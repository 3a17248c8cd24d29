export { hasEmail, performedWithoutSince } from './builders';
export { builtInSegments, findSegment } from './builtins';
export {
  describeCondition,
  evaluateCondition,
  evaluateSegment,
  explainSegment,
  failedLeaves,
  type ConditionEvaluation,
  type ConditionResult,
  type SegmentExplanation,
} from './evaluate';
export {
  checkedConditionSchema,
  conditionSchema,
  segmentSchema,
  type Condition,
  type SegmentDefinition,
} from './schema';
