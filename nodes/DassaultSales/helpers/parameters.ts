/**
 * Reading n8n parameters into plain values: the first step of "parameters → body". Only what the
 * user set is kept (n8n hands us '' and {} for untouched fields), so an update stays partial.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dsLeadOpportunityId, type ApiVersion } from '../schemas';
import { isPlainObject } from '../utils/isPlainObject';
import { validateInput } from './validate';

export const isSet = (value: unknown): boolean =>
	value !== undefined &&
	value !== null &&
	value !== '' &&
	!(Array.isArray(value) && value.length === 0) &&
	!(isPlainObject(value) && Object.keys(value).length === 0);

/**
 * Drops unset values, keeping everything else as given (validation judges types, not this). A
 * `__proto__` key (JSON.parse makes one) stays an own property, never the result's prototype.
 */
export const compact = (values: Record<string, unknown>): IDataObject => {
	const kept: IDataObject = {};
	for (const key of Object.keys(values)) {
		const value = values[key];
		if (!isSet(value)) continue;
		if (key === '__proto__')
			Object.defineProperty(kept, key, {
				value,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		else kept[key] = value as IDataObject[string];
	}
	return kept;
};

/** A resource locator's value (`{ __rl, mode, value }`), or the value itself when given plainly. */
export const locatorValue = (value: unknown): unknown =>
	typeof value === 'object' && value !== null && '__rl' in value
		? (value as unknown as { value: unknown }).value
		: value;

/** "a, b" or ["a", "b"] → ["a", "b"]; anything else is left for validation to reject. */
export const listValue = (value: unknown): unknown =>
	typeof value === 'string'
		? value
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)
		: value;

/**
 * A collection or fixed-collection parameter. The editor always gives an object, but an expression
 * or a workflow written by hand may not; that is the user's input to fix, not a crash.
 */
export function objectParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): IDataObject {
	const value = this.getNodeParameter(name, itemIndex, {}) as unknown;
	if (value === undefined || value === null || value === '') return {};
	if (!isPlainObject(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} in item ${itemIndex} must be a set of fields`,
			{
				itemIndex,
				description: `Got ${Array.isArray(value) ? 'a list' : typeof value}. Set the fields in the editor, or give an object.`,
			},
		);
	}
	return value;
}

/** A whole number within bounds (Limit, Concurrency), or an error naming the field and the item. */
export function integerParameter(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	{ min, max }: { min: number; max: number },
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} in item ${itemIndex} must be a whole number from ${min} to ${max}`,
			{ itemIndex, description: `Got ${JSON.stringify(value)?.slice(0, 50)}.` },
		);
	}
	return number;
}

/** The API version, from a fixed list: it becomes part of the URL, so nothing else may pass. */
export function apiVersionParameter(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): ApiVersion {
	if (value === 'v1' || value === 'v0') return value;
	throw new NodeOperationError(
		this.getNode(),
		`API Version in item ${itemIndex} must be v1 or v0`,
		{
			itemIndex,
			description: `Got ${JSON.stringify(value)?.slice(0, 50)}.`,
		},
	);
}

/** "Return All" / "Limit": undefined means every result. */
export function limitParameter(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as unknown;
	if (returnAll === true || returnAll === 'true') return undefined;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	return integerParameter.call(this, limit, itemIndex, 'Limit', {
		min: 1,
		max: Number.MAX_SAFE_INTEGER,
	});
}

/** A `json` parameter: n8n gives a string (typed) or an object (from an expression). */
export function jsonParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): IDataObject {
	const raw = this.getNodeParameter(name, itemIndex) as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`${label} in item ${itemIndex} is not valid JSON`,
				{
					itemIndex,
					description: `${(error as Error).message}. Give an object such as {"leadOpportunity": {...}}, or map one with an expression.`,
				},
			);
		}
	}
	if (!isPlainObject(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} in item ${itemIndex} must be a JSON object`,
			{
				itemIndex,
				description: 'Give an object such as {"leadOpportunity": {...}, "offerLines": [...]}.',
			},
		);
	}
	return value as IDataObject;
}

/**
 * Get and update: which lead-opportunity, by 3DS id (From List, By 3DS ID, or a plain string saved
 * before the field was a locator) or by partner id (resolved later by a search), in which version.
 */
export function readTarget(
	this: IExecuteFunctions,
	itemIndex: number,
): { version: ApiVersion } & ({ id: string } | { partnerLeadOpportunityId: string }) {
	const version = apiVersionParameter.call(
		this,
		this.getNodeParameter('apiVersion', itemIndex),
		itemIndex,
	);
	const raw = this.getNodeParameter('dsLeadOpportunityId', itemIndex) as unknown;
	const byPartnerId =
		typeof raw === 'object' && raw !== null && (raw as { mode?: unknown }).mode === 'partnerId';
	const label = byPartnerId
		? 'Lead-Opportunity (Partner Lead-Opportunity ID)'
		: 'Lead-Opportunity (3DS Lead-Opportunity ID)';
	const value = validateInput(
		dsLeadOpportunityId,
		locatorValue(raw),
		this.getNode(),
		itemIndex,
		label,
	);
	return byPartnerId ? { version, partnerLeadOpportunityId: value } : { version, id: value };
}
