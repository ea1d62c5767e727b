/**
 * Parameters → request body for create, update and create-or-update, in both input modes (fields
 * or a JSON body). The result is unvalidated: callers pass it through the zod schema, so both modes
 * meet the same rules and the same error messages.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiVersion } from '../schemas';
import {
	compact,
	isSet,
	jsonParameter,
	listValue,
	locatorValue,
	objectParameter,
} from './parameters';

type Lines = { offerLine?: IDataObject[] };
type Contacts = { contact?: IDataObject[] };

/** Lines that are not what the editor makes are passed on as they are, for validation to name. */
function offerLines(raw: Lines, version: ApiVersion): unknown {
	if (!Array.isArray(raw.offerLine)) return raw.offerLine;
	return raw.offerLine.map((line) =>
		typeof line !== 'object' || line === null
			? line
			: compact({
					offerNameId: locatorValue(line.offerNameId),
					amount: line.amount,
					revenueType: version === 'v1' ? line.revenueType : line.revenueTypeV0,
					startDate: version === 'v1' ? line.startDate : undefined,
					endDate: version === 'v1' ? line.endDate : undefined,
				} as IDataObject),
	);
}

const contacts = (raw: Contacts): unknown =>
	Array.isArray(raw.contact)
		? raw.contact.map((contact) =>
				typeof contact === 'object' && contact !== null ? compact(contact) : contact,
			)
		: raw.contact;

/** Attributes of the "Additional Fields"/"Update Fields" collections, in the API's shape. */
function attributes(fields: IDataObject): { leadOpportunity: IDataObject; partnerId?: string } {
	const { partnerId, competitors, ...rest } = fields;
	return {
		leadOpportunity: compact({
			...rest,
			competitors: listValue(competitors) as IDataObject['competitors'],
		}),
		partnerId: isSet(partnerId) ? (partnerId as string) : undefined,
	};
}

/** Adds the credential's partner id when the body has none of its own. */
const withPartnerId = (body: IDataObject, credentialPartnerId: string): IDataObject =>
	isSet(body.partnerId) ? body : { ...body, partnerId: credentialPartnerId };

export function readCreateBody(
	this: IExecuteFunctions,
	itemIndex: number,
	version: ApiVersion,
	credentialPartnerId: string,
): IDataObject {
	const param = (name: string, fallback?: unknown) =>
		this.getNodeParameter(name, itemIndex, fallback);
	const object = (name: string, label: string) =>
		objectParameter.call(this, name, itemIndex, label);
	if (param('inputMode', 'fields') === 'json') {
		return withPartnerId(
			jsonParameter.call(this, 'jsonBody', itemIndex, 'JSON Body'),
			credentialPartnerId,
		);
	}
	const extra = attributes(object('additionalFields', 'Additional Fields'));
	return compact({
		partnerId: extra.partnerId ?? credentialPartnerId,
		leadOpportunity: {
			partnerLeadOpportunityId: param('partnerLeadOpportunityId'),
			name: param('name'),
			status: param('status'),
			closeDate: param('closeDate'),
			currency: param('currency'),
			...extra.leadOpportunity,
		},
		offerLines: offerLines(object('offerLines', 'Offer Lines') as Lines, version),
		customerLegalEntity: {
			name: param('customerName'),
			city: param('customerCity'),
			country: param('customerCountry'),
			...compact(object('customerDetails', 'Customer Details')),
		},
		customerContacts: contacts(object('customerContacts', 'Customer Contacts') as Contacts),
		partnerContacts: contacts(object('partnerContacts', 'Partner Contacts') as Contacts),
	});
}

export function readUpdateBody(
	this: IExecuteFunctions,
	itemIndex: number,
	version: ApiVersion,
	credentialPartnerId: string,
): IDataObject {
	const param = (name: string, fallback?: unknown) =>
		this.getNodeParameter(name, itemIndex, fallback);
	const object = (name: string, label: string) =>
		objectParameter.call(this, name, itemIndex, label);
	if (param('inputMode', 'fields') === 'json') {
		return withPartnerId(
			jsonParameter.call(this, 'jsonBody', itemIndex, 'JSON Body'),
			credentialPartnerId,
		);
	}
	const extra = attributes(object('updateFields', 'Update Fields'));
	return compact({
		partnerId: extra.partnerId ?? credentialPartnerId,
		leadOpportunity: {
			partnerLeadOpportunityId: param('partnerLeadOpportunityId'),
			...extra.leadOpportunity,
		},
		offerLines: offerLines(object('offerLines', 'Offer Lines') as Lines, version),
		customerLegalEntity: compact(object('customer', 'Customer')),
		customerContacts: contacts(object('customerContacts', 'Customer Contacts') as Contacts),
		partnerContacts: contacts(object('partnerContacts', 'Partner Contacts') as Contacts),
	});
}
