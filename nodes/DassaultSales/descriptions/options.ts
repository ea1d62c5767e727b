/** n8n option lists derived from the API's enums, so the node and the schemas share one source. */
import type { INodePropertyOptions } from 'n8n-workflow';

import {
	FORECAST_CATEGORY,
	LEAD_OPPORTUNITY_STATUS,
	REASON_LOST,
	REASON_WON,
	REVENUE_TYPE_V0,
	REVENUE_TYPE_V1,
	type EnumRecord,
} from '../schemas';

/**
 * Sorts by a text key in code-point order. Not `localeCompare`: its first call loads ICU collation
 * data (about 15 ms), paid by every n8n start; the names here are ASCII, where both orders agree.
 */
export const byKey =
	<K extends string>(key: K) =>
	(a: Record<K, string>, b: Record<K, string>) =>
		a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;

/** Options named "VALUE (label)" and sorted by name, as n8n's lint rules want. */
const toOptions = (record: EnumRecord, describe = false): INodePropertyOptions[] =>
	Object.entries(record)
		.map(([value, label]) =>
			describe
				? { name: value, value, description: label }
				: { name: `${value} (${label})`, value },
		)
		.sort(byKey('name'));

/** Where each status sits in 3DS's LEVERAGE process, shown under it in the dropdown. */
const STATUS_STAGE: Record<string, string> = {
	LEAD_OPEN: 'Lead, LEVERAGE step -6: a new lead, not yet qualified',
	QUALIFIED: 'Lead, LEVERAGE step -5: qualified',
	ACCEPTED: 'Lead, LEVERAGE step -4: accepted, the last lead step',
	OPPY_OPEN: 'Opportunity, LEVERAGE step -3: the first opportunity step',
	VALIDATED: 'Opportunity, LEVERAGE step -2',
	ESTABLISHED: 'Opportunity, LEVERAGE step -1, the last before closing',
	WON: 'Closed: won',
	LOST: 'Closed: lost',
};

export const statusOptions = toOptions(LEAD_OPPORTUNITY_STATUS).map((option) => ({
	...option,
	description: STATUS_STAGE[String(option.value)],
}));
export const forecastCategoryOptions = toOptions(FORECAST_CATEGORY, true);
export const reasonWonOptions = toOptions(REASON_WON);
export const reasonLostOptions = toOptions(REASON_LOST);
export const revenueTypeV1Options = toOptions(REVENUE_TYPE_V1);
export const revenueTypeV0Options = toOptions(REVENUE_TYPE_V0);

/**
 * Every ISO 4217 code the runtime knows, named via `Intl` (no hand-kept list). Built on demand for
 * the editor's dropdown: `Intl.DisplayNames` loads ICU data, about 80 ms, too much for node load.
 */
export function currencyOptions(): INodePropertyOptions[] {
	let name = (code: string) => code;
	try {
		const names = new Intl.DisplayNames(['en'], { type: 'currency' });
		name = (code) => names.of(code) ?? code;
	} catch {
		// An ICU-less runtime: codes alone.
	}
	return Intl.supportedValuesOf('currency').map((code) => ({
		name: `${code} (${name(code)})`,
		value: code,
	}));
}
