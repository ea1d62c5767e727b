/**
 * The short shapes of a lead-opportunity: Simplify (Get, Search, the trigger) and an AI tool's
 * Selected Fields. Shared with the trigger through shared.ts, so both nodes emit the same fields.
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * The 10 flat fields of Simplify, most used first: the two ids a sync joins on, then what a CRM
 * deal holds (name, stage, amount, currency, close date, account), the 3DS owner, and the date a
 * sync orders changes by. Left out: forecastCategory (3DS derives it from the status), the
 * read-only approval/PO/SBO fields, and the nested offer lines and contacts (`amount` sums the
 * lines; the full record has them).
 */
export const SIMPLIFIED_FIELDS = [
	'dsLeadOpportunityId',
	'partnerLeadOpportunityId',
	'name',
	'status',
	'amount',
	'currency',
	'closeDate',
	'customerName',
	'dsOwnerEmail',
	'modifiedDate',
] as const;

const plain = (value: unknown): IDataObject[string] =>
	value === undefined ? null : (value as IDataObject[string]);

/** The sum of the offer lines' amounts, in cents to avoid 0.1 + 0.2; null without any amount. */
export function totalAmount(offerLines: unknown): number | null {
	if (!Array.isArray(offerLines)) return null;
	const amounts = offerLines
		.map((line) => (line as IDataObject | null)?.amount)
		.filter((amount): amount is number => typeof amount === 'number' && Number.isFinite(amount));
	if (amounts.length === 0) return null;
	return amounts.reduce((sum, amount) => sum + Math.round(amount * 100), 0) / 100;
}

/** A lead-opportunity record as Get returns it → its 10 simplified fields, flat. */
export function simplifyLeadOpportunity(record: IDataObject): IDataObject {
	const customer = record.customerLegalEntity as IDataObject | null | undefined;
	return {
		dsLeadOpportunityId: plain(record.dsLeadOpportunityId),
		partnerLeadOpportunityId: plain(record.partnerLeadOpportunityId),
		name: plain(record.name),
		status: plain(record.status),
		amount: totalAmount(record.offerLines),
		currency: plain(record.currency),
		closeDate: plain(record.closeDate),
		customerName: plain(customer?.name),
		dsOwnerEmail: plain(record.dsOwnerEmail),
		modifiedDate: plain(record.modifiedDate),
	};
}

/** Selected Fields: the chosen fields of the record, the 3DS id always first. */
export function selectLeadOpportunityFields(
	record: IDataObject,
	fields: readonly string[],
): IDataObject {
	const selected: IDataObject = { dsLeadOpportunityId: plain(record.dsLeadOpportunityId) };
	for (const field of fields)
		if (Object.prototype.hasOwnProperty.call(record, field) && field !== '__proto__')
			selected[field] = plain(record[field]);
	return selected;
}
