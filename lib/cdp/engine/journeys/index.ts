export { advanceRun, type AdvanceOptions, type AdvanceResult } from './advance';
export { builtInJourneys } from './builtins';
export { cartOf, cartSpans, inSameCart, type CartSpan } from './cart';
export { planEntries, type PlanOptions } from './entries';
export { TRIGGER_MAX_AGE, tooOldToTrigger } from '@/lib/cdp/model/windows';
export { buildMessageData } from './message-data';
export { isShadow, stepJourneys, type StepJourneysInput, type StepJourneysResult } from './step';
export { cartStrategies, cartStrategySchema, journeySchema, type CartStrategy, type JourneyDefinition } from './schema';
export * from './types';
