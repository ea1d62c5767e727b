// Request validation: the spec's request schemas through Ajv, then the rules the spec states only
// in prose. Each function returns the failure to answer with, or the typed body.
import { type ApiFailure, failures } from './errors';
import { formatAjvErrors, type Spec } from './spec';
import type { SearchCriterion } from './store';
import { DAY_MS } from './time';
import type { LeadWriteBody, SearchBody } from './types';

const WEEK_MS = 7 * DAY_MS;
const DATE_FIELDS = ['/leadOpportunity/closeDate', '/leadOpportunity/nextMilestoneDate'];

// Intl knows the ISO 4217 list; the schema only checks the shape ^[A-Z]{3}$.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export type Checked<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

const reject = <T>(failure: ApiFailure): Checked<T> => ({ ok: false, failure });

/** Create and update bodies (v0 and v1): schema, then date format (406), then currency. */
export function checkLeadWrite(
	spec: Spec,
	operationId: string,
	body: unknown,
): Checked<LeadWriteBody> {
	const validate = spec.requestValidator(operationId);
	if (validate && !validate(body)) {
		// A bad closeDate / nextMilestoneDate is a 406 ERR805, whatever else is wrong.
		if (validate.errors?.some((e) => DATE_FIELDS.includes(e.instancePath)))
			return reject(failures.badDateFormat());
		return reject(failures.schema(formatAjvErrors(validate.errors)));
	}
	const typed = body as LeadWriteBody;
	const { closeDate, nextMilestoneDate, currency } = typed.leadOpportunity;
	// ajv-formats lets through some strings Date cannot read (e.g. a leap second :60).
	if ([closeDate, nextMilestoneDate].some((d) => d !== undefined && Number.isNaN(Date.parse(d)))) {
		return reject(failures.badDateFormat());
	}
	if (currency !== undefined && !CURRENCIES.has(currency))
		return reject(failures.currency(currency));
	return { ok: true, value: typed };
}

/**
 * Search body. Order: missing bound (ERROR_043), schema, no criterion, UTC, order, window; the
 * four prose rules answer with SANDBOX_* codes (README.md).
 */
export function checkSearch(spec: Spec, body: unknown): Checked<SearchCriterion[]> {
	const elements =
		typeof body === 'object' && body !== null && Array.isArray((body as SearchBody).data)
			? (body as SearchBody).data
			: [];
	for (const element of elements) {
		const window =
			typeof element === 'object' && element !== null ? element.modifiedDate : undefined;
		if (
			typeof window === 'object' &&
			window !== null &&
			(window.fromDate === undefined || window.toDate === undefined)
		) {
			return reject(failures.missingBounds());
		}
	}
	const validate = spec.requestValidator('searchLeadsOpportunities');
	if (validate && !validate(body)) return reject(failures.schema(formatAjvErrors(validate.errors)));
	if (elements.length === 0) return reject(failures.noCriterion());

	const criteria: SearchCriterion[] = [];
	for (const element of elements) {
		const criterion: SearchCriterion = {};
		if (element.modifiedDate) {
			const { fromDate, toDate } = element.modifiedDate;
			for (const bound of [fromDate, toDate])
				if (!bound.endsWith('Z')) return reject(failures.notUtc(bound));
			const from = Date.parse(fromDate);
			const to = Date.parse(toDate);
			if (Number.isNaN(from) || Number.isNaN(to))
				return reject(failures.schema('/data/modifiedDate must be valid date-times'));
			if (from > to) return reject(failures.fromAfterTo());
			if (to - from > WEEK_MS) return reject(failures.windowTooLong());
			criterion.modified = { from, to };
		}
		if (element.partnerLeadOpportunityId !== undefined) {
			const wanted = element.partnerLeadOpportunityId;
			criterion.partnerIds = Array.isArray(wanted) ? wanted : [wanted];
		}
		criteria.push(criterion);
	}
	return { ok: true, value: criteria };
}

export interface Paging {
	skip: number;
	top: number;
}

/** skip / top query parameters, against their parameter schemas; ERROR_004 when invalid. */
export function checkPaging(spec: Spec, query: URLSearchParams): Checked<Paging> {
	const read = (name: 'skip' | 'top', fallback: number): number | undefined => {
		const raw = query.get(name);
		if (raw === null) return fallback;
		// Query values are strings: convert a numeric one so the integer/minimum schema applies.
		const value: unknown = raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
		return spec.parameterValidator('searchPortfolioItems', name)(value)
			? (value as number)
			: undefined;
	};
	const top = read('top', 9999);
	if (top === undefined) return reject(failures.badTop());
	const skip = read('skip', 0);
	if (skip === undefined) return reject(failures.badSkip());
	return { ok: true, value: { skip, top } };
}
