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

/** Options named "VALUE (label)" and sorted by name, as n8n's lint rules want. */
const toOptions = (record: EnumRecord, describe = false): INodePropertyOptions[] =>
	Object.entries(record)
		.map(([value, label]) =>
			describe
				? { name: value, value, description: label }
				: { name: `${value} (${label})`, value },
		)
		.sort((a, b) => a.name.localeCompare(b.name));

export const statusOptions = toOptions(LEAD_OPPORTUNITY_STATUS);
export const forecastCategoryOptions = toOptions(FORECAST_CATEGORY, true);
export const reasonWonOptions = toOptions(REASON_WON);
export const reasonLostOptions = toOptions(REASON_LOST);
export const revenueTypeV1Options = toOptions(REVENUE_TYPE_V1);
export const revenueTypeV0Options = toOptions(REVENUE_TYPE_V0);

const currencyName = (() => {
	try {
		const names = new Intl.DisplayNames(['en'], { type: 'currency' });
		return (code: string) => names.of(code) ?? code;
	} catch {
		return (code: string) => code;
	}
})();

/** Every ISO 4217 code the runtime knows, via `Intl` (no hand-kept list). */
export const currencyOptions: INodePropertyOptions[] = Intl.supportedValuesOf('currency').map(
	(code) => ({ name: `${code} (${currencyName(code)})`, value: code }),
);
