/**
 * Parameters → request body for create, update and create-or-update, in both input modes (fields
 * or a JSON body). The result is unvalidated: callers pass it through the zod schema, so both modes
 * meet the same rules and the same error messages.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { createBody, type ApiVersion, type CreateBody } from '../schemas';
import { readDaysIn, workflowZone } from './dates';
import { isPlainObject } from '../utils/isPlainObject';
import { validateInput } from './validate';
import {
	apiVersionParameter,
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
		!isPlainObject(line)
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
		? raw.contact.map((contact) => (isPlainObject(contact) ? compact(contact) : contact))
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

/**
 * The body of a create (`'create'`) or an update (`'update'`), from the JSON Body or the fields.
 * Both share offer lines, contacts and the partner id; they differ in which lead fields are
 * top-level (create) or in "Update Fields" (update), and in how the customer is given.
 */
function rawBody(
	this: IExecuteFunctions,
	kind: 'create' | 'update',
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
	const extra = attributes(
		kind === 'create'
			? object('additionalFields', 'Additional Fields')
			: object('updateFields', 'Update Fields'),
	);
	const required =
		kind === 'create'
			? {
					name: param('name'),
					status: param('status'),
					closeDate: param('closeDate'),
					currency: param('currency'),
				}
			: {};
	return compact({
		partnerId: extra.partnerId ?? credentialPartnerId,
		leadOpportunity: {
			partnerLeadOpportunityId: param('partnerLeadOpportunityId'),
			...required,
			...extra.leadOpportunity,
		},
		offerLines: offerLines(object('offerLines', 'Offer Lines') as Lines, version),
		customerLegalEntity:
			kind === 'create'
				? {
						name: param('customerName'),
						city: param('customerCity'),
						country: param('customerCountry'),
						...compact(object('customerDetails', 'Customer Details')),
					}
				: compact(object('customer', 'Customer')),
		customerContacts: contacts(object('customerContacts', 'Customer Contacts') as Contacts),
		partnerContacts: contacts(object('partnerContacts', 'Partner Contacts') as Contacts),
	});
}

/** The body as `rawBody` reads it, its days read in the workflow's time zone. */
export function readBody(
	this: IExecuteFunctions,
	kind: 'create' | 'update',
	itemIndex: number,
	version: ApiVersion,
	credentialPartnerId: string,
): IDataObject {
	const body = rawBody.call(this, kind, itemIndex, version, credentialPartnerId);
	return readDaysIn(body, workflowZone.call(this, itemIndex));
}

/**
 * Create and create-or-update: the API version and the validated create body of an item;
 * `partnerId` is the credential's, used where the item sets none.
 */
export function readCreateInput(
	this: IExecuteFunctions,
	itemIndex: number,
	partnerId: string,
): { version: ApiVersion; body: CreateBody } {
	const version = apiVersionParameter.call(
		this,
		this.getNodeParameter('apiVersion', itemIndex),
		itemIndex,
	);
	const raw = readBody.call(this, 'create', itemIndex, version, partnerId);
	return {
		version,
		body: validateInput(createBody(version), raw, this.getNode(), itemIndex, 'lead-opportunity'),
	};
}
