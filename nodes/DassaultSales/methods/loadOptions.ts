import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { currencyOptions } from '../descriptions/options';

/** The currency dropdown: ISO 4217 codes with their English names. */
export async function getCurrencies(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return currencyOptions();
}
