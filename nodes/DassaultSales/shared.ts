/**
 * What the trigger and the credential share with the action node: the transport (HTTP, retries,
 * pacing, errors, the environments), the API's shapes and options, and pure utilities. They import
 * from here only, never from the action node's folders (test/package/import-direction.test.ts).
 */
export * from './transport';
export {
	isKnownTimeZone,
	MAX_SEARCH_WINDOW_MS,
	toUtcDateTime,
	type SearchCriteria,
} from './schemas';
export { statusOptions } from './descriptions/options';
export { outputOption } from './descriptions/common';
export { splitIntoWindows } from './utils/windows';
export { mapWithConcurrency } from './utils/scheduler';
export { isPlainObject } from './utils/isPlainObject';
export { simplifyLeadOpportunity } from './utils/simplify';
