import type { IDataObject } from 'n8n-workflow';

export const API = '/sales/api4partners';

/** "Create" in fields mode, as the editor stores it. */
export const createParameters = (overrides: Record<string, unknown> = {}): IDataObject => ({
	resource: 'leadOpportunity',
	operation: 'create',
	apiVersion: 'v1',
	inputMode: 'fields',
	partnerLeadOpportunityId: 'OPPY-1004526',
	name: 'Transformation Project at NewCustomer',
	status: 'OPPY_OPEN',
	closeDate: '2025-06-01T18:46:51.326Z',
	currency: 'EUR',
	offerLines: {
		offerLine: [
			{
				offerNameId: { __rl: true, mode: 'list', value: 'CLASS00002_ONPR_PRTF077_SOL001277' },
				amount: 5490,
				revenueType: 'PxC',
			},
		],
	},
	customerName: 'NEW CUSTOMER CORPORATION',
	customerCity: 'Stockdorf',
	customerCountry: 'Germany',
	additionalFields: {},
	customerDetails: {},
	customerContacts: {},
	partnerContacts: {},
	options: {},
	...overrides,
});

/** The body the parameters above must produce (the close date is a day: midnight UTC of it). */
export const expectedCreateBody = {
	partnerId: '200000000014442',
	leadOpportunity: {
		partnerLeadOpportunityId: 'OPPY-1004526',
		name: 'Transformation Project at NewCustomer',
		status: 'OPPY_OPEN',
		closeDate: '2025-06-01T00:00:00.000Z',
		currency: 'EUR',
	},
	offerLines: [
		{ offerNameId: 'CLASS00002_ONPR_PRTF077_SOL001277', amount: 5490, revenueType: 'PxC' },
	],
	customerLegalEntity: { name: 'NEW CUSTOMER CORPORATION', city: 'Stockdorf', country: 'Germany' },
};

export const info = (statusCode: number, extra: IDataObject = {}) => ({
	success: statusCode < 300,
	statusCode,
	timeStamp: '2025-06-30T12:36:46.556Z',
	traceId: '3d29ece30a064ea68c3f5f4a9f785c6f',
	...extra,
});

export const created = (
	dsLeadOpportunityId: string,
	partnerLeadOpportunityId = 'OPPY-1004526',
) => ({
	partnerLeadOpportunityId,
	dsLeadOpportunityId,
	action: 'create',
	info: { success: true, statusCode: 201, timestamp: '2025-06-30T12:36:46.556Z', traceId: null },
	error: null,
});

export const updated = (
	dsLeadOpportunityId: string,
	partnerLeadOpportunityId = 'OPPY-1004526',
) => ({
	data: { partnerLeadOpportunityId, dsLeadOpportunityId, action: 'update' },
	info: { success: true, statusCode: 200, timeStamp: '2025-06-30T12:36:46.556Z', traceId: null },
	error: null,
});

export const searchResult = (...ids: string[]) => ({
	data: [{ dsLeadOpportunityId: ids }],
	info: info(200),
	error: null,
});

export const leadRecord = (dsLeadOpportunityId: string, extra: IDataObject = {}) => ({
	partnerLeadOpportunityId: 'OPPY-1004526',
	dsLeadOpportunityId,
	name: 'Transformation Project at NewCustomer',
	status: 'OPPY_OPEN',
	forecastCategory: 'UPSIDE',
	closeDate: '2025-06-01T00:00:00.000Z',
	currency: 'EUR',
	modifiedDate: '2025-06-02T10:00:00.000Z',
	offerLines: [
		{ offerNameId: 'CLASS00002_ONPR_PRTF077_SOL001277', amount: 5490, revenueType: 'PxC' },
	],
	customerLegalEntity: { name: 'NEW CUSTOMER CORPORATION', city: 'Stockdorf', country: 'Germany' },
	...extra,
});

export const getResult = (record: IDataObject) => ({
	data: { leadOpportunity: record },
	info: { success: true, statusCode: 200, timeStamp: '2025-06-30T12:36:46.556Z', traceId: null },
	error: null,
});

export const errorBody = (statusCode: number, code: string, message: string) => ({
	data: null,
	info: info(statusCode, { success: false }),
	error: { code, message },
});

export const RATE_HEADERS = {
	'X-RateLimit-Limit': '100',
	'X-RateLimit-Remaining': '42',
	'X-RateLimit-Reset': '27',
};
