/**
 * The upsert's diff: what the item wants against what a GET returned. Each rule of
 * helpers/leadOpportunityDiff.ts has its cases here; the properties at the end hold it to the
 * sandbox: a body compares equal to what the sandbox stores for it, and a patch, applied by the
 * sandbox, yields a record the diff sees as equal.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { readDaysIn } from '../../nodes/DassaultSales/helpers/dates';
import { diffLeadOpportunity } from '../../nodes/DassaultSales/helpers/leadOpportunityDiff';
import {
	createBody,
	updateBody,
	type ApiVersion,
	type CreateBody,
} from '../../nodes/DassaultSales/schemas';
import { applyUpdate, leadFromCreate } from '../../sandbox/lead-writes';
import type { LeadOpportunity, LeadWriteBody } from '../../sandbox/types';
import { leadForVersion } from '../../sandbox/versions';
import { ignoredAtCreation, leadBody } from '../sandbox/lead-bodies';

const STAMP = '2025-06-01T10:00:00.000Z';

const parse = (version: ApiVersion, raw: unknown): CreateBody => createBody(version).parse(raw);

/** What the node sends, as JSON carries it. */
const wire = (body: object): LeadWriteBody => JSON.parse(JSON.stringify(body)) as LeadWriteBody;

/** The sandbox's record for a created body. */
const storedLead = (version: ApiVersion, body: CreateBody): LeadOpportunity => ({
	...leadFromCreate(version, wire(body), 'HCRQ-DIFF01'),
	createdDate: STAMP,
	modifiedDate: STAMP,
});

/** What the sandbox's GET returns for a record (`data.leadOpportunity`), through JSON. */
const got = (version: ApiVersion, lead: LeadOpportunity): IDataObject =>
	JSON.parse(JSON.stringify(leadForVersion(version, lead))) as IDataObject;

const stored = (version: ApiVersion, body: CreateBody) => got(version, storedLead(version, body));

const v1Raw = () => ({
	partnerId: '200000000014442',
	leadOpportunity: {
		partnerLeadOpportunityId: 'CRM-1',
		name: 'Plant digital twin',
		status: 'OPPY_OPEN',
		forecastCategory: 'COMMIT',
		closeDate: '2025-12-31T00:00:00.000Z',
		currency: 'EUR',
		dsOwnerEmail: 'psm@3ds.com',
		reasonWon: ['STRNG_VAL_PROP', 'LWR_IMPL_COST'],
		competitors: ['Siemens', 'PTC'],
		description: 'Pilot line',
		nextMilestone: 'Demo',
		nextMilestoneDate: '2025-09-01T08:30:00.000Z',
	},
	offerLines: [
		{ offerNameId: 'OFFER-A', amount: 13000, revenueType: 'PxC' },
		{
			offerNameId: 'OFFER-B',
			amount: 2000,
			revenueType: 'YxC',
			startDate: '2025-01-01',
			endDate: '2025-12-31',
		},
	],
	customerLegalEntity: { name: 'ACME', city: 'Lyon', country: 'France', zipCode: '69001' },
	customerContacts: [
		{ email: 'ann@acme.fr', firstName: 'Ann', lastName: 'Lee', jobTitle: 'CTO' },
		{ email: 'bob@acme.fr', firstName: 'Bob', lastName: 'Ray' },
	],
	partnerContacts: [
		{ salesRepEmail: 'rep@partner.com', salesRepFirstName: 'Rita', salesRepLastName: 'Rep' },
	],
});

const base = () => parse('v1', v1Raw());

/** A body with `change` applied to a fresh copy of the raw v1 body. */
const withRaw = (change: (raw: ReturnType<typeof v1Raw>) => void, version: ApiVersion = 'v1') => {
	const raw = v1Raw();
	change(raw);
	return parse(version, raw);
};

describe('diffLeadOpportunity: nothing sent when equal', () => {
	it('finds no change between a body and the record the sandbox stores for it', () => {
		const body = base();
		expect(diffLeadOpportunity(body, stored('v1', body), 'v1')).toEqual({
			patch: undefined,
			changedFields: [],
		});
	});

	it('ignores fields the body does not hold (defaults, read-only fields)', () => {
		const body = parse('v1', {
			partnerId: 'P',
			leadOpportunity: {
				partnerLeadOpportunityId: 'CRM-1',
				name: 'N',
				status: 'LEAD_OPEN',
				closeDate: '2025-12-31T00:00:00Z',
				currency: 'EUR',
			},
			offerLines: [{ offerNameId: 'OFFER-A' }],
			customerLegalEntity: { name: 'ACME', city: 'Lyon', country: 'France' },
		});
		const record = stored('v1', body);
		record.approvalStatus = 'APPROVED';
		record.dsOwnerEmail = 'someone@3ds.com';
		record.reasonWon = ['SOLUTION_FUNCT'];
		record.customerContact = [{ email: 'x@y.z', firstName: 'X', lastName: 'Y' }];
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});
});

describe('diffLeadOpportunity: text and enum fields', () => {
	it.each([
		['name', 'Other name'],
		['status', 'VALIDATED'],
		['forecastCategory', 'SAFE'],
		['description', 'Another description'],
		['nextMilestone', 'Contract'],
		['cometCampaignCode', 'CMP-9'],
		['gtmTacticId', 'GTM-1'],
		['reasonWonLostComment', 'Because'],
	])('writes a changed %s, plus the identification', (field, value) => {
		const body = base();
		const record = stored('v1', body);
		record[field] = 'OLD';
		const desired = withRaw((raw) => {
			(raw.leadOpportunity as IDataObject)[field] = value;
		});
		const { patch, changedFields } = diffLeadOpportunity(desired, record, 'v1');
		expect(changedFields).toEqual([`leadOpportunity.${field}`]);
		expect(patch?.partnerId).toBe('200000000014442');
		expect(patch?.leadOpportunity.partnerLeadOpportunityId).toBe('CRM-1');
		expect((patch?.leadOpportunity as IDataObject)[field]).toBe(value);
		expect(patch?.offerLines).toBeUndefined();
		expect(patch?.customerLegalEntity).toBeUndefined();
		expect(updateBody('v1').safeParse(patch).success).toBe(true);
	});

	it('compares enums exactly', () => {
		const body = base();
		const record = stored('v1', body);
		record.status = 'oppy_open';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.status',
		]);
	});

	it('ignores the case of a currency and of e-mail addresses', () => {
		const body = base();
		const record = stored('v1', body);
		record.currency = 'eur';
		record.dsOwnerEmail = 'PSM@3DS.com';
		(record.customerContact as IDataObject[])[0].email = 'Ann@Acme.FR';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
		record.currency = 'USD';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.currency',
		]);
	});

	it('sends the forecast category along with a status change, so no default replaces it', () => {
		const body = base();
		const record = stored('v1', body);
		record.status = 'LEAD_OPEN';
		const { patch, changedFields } = diffLeadOpportunity(body, record, 'v1');
		expect(changedFields).toEqual(['leadOpportunity.status']);
		expect(patch?.leadOpportunity).toEqual({
			partnerLeadOpportunityId: 'CRM-1',
			status: 'OPPY_OPEN',
			forecastCategory: 'COMMIT',
		});
	});

	it('does not compare the forecast category of a WON or LOST record: the API sets it', () => {
		const won = withRaw((raw) => {
			raw.leadOpportunity.status = 'WON';
			raw.leadOpportunity.forecastCategory = 'COMMIT';
		});
		const record = stored('v1', won);
		expect(record.forecastCategory).toBe('WON');
		expect(diffLeadOpportunity(won, record, 'v1').changedFields).toEqual([]);
		record.forecastCategory = 'UPSIDE';
		expect(diffLeadOpportunity(won, record, 'v1').changedFields).toEqual([
			'leadOpportunity.forecastCategory',
		]);
	});

	it('writes a partner id the record does not hold yet (claiming a lead)', () => {
		const body = base();
		const record = stored('v1', body);
		record.partnerLeadOpportunityId = '';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.partnerLeadOpportunityId',
		]);
	});
});

describe('diffLeadOpportunity: dates', () => {
	// The body holds the day 2025-12-31 (midnight UTC); 3DS's day is the UTC date of what it holds.
	it.each([
		['midnight UTC of the same day', false, '2025-12-31T00:00:00.000Z'],
		['midnight without milliseconds', false, '2025-12-31T00:00:00Z'],
		['the same instant in another zone', false, '2025-12-31T01:00:00.000+01:00'],
		['a date-only value of the same day', false, '2025-12-31'],
		['another time of the same UTC day', false, '2025-12-31T05:00:00.000Z'],
		['the last millisecond of that UTC day', false, '2025-12-31T23:59:59.999Z'],
		['an instant of the day before', true, '2025-12-30T23:59:59.999Z'],
		['a date-only value of another day', true, '2025-12-30'],
		['an empty string', true, ''],
		['null', true, null],
		['a value that is not a date', true, 'soon'],
		['a number (not a shape the GET has)', true, 1767139200000],
	])('closeDate stored as %s: changed %s', (_, changed, value) => {
		const body = base();
		const record = stored('v1', body);
		record.closeDate = value as string;
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual(
			changed ? ['leadOpportunity.closeDate'] : [],
		);
	});

	it('compares a date-only stored value with the day the body sends', () => {
		const body = withRaw((raw) => {
			// 23:30 at -02:00 is 01:30Z on 2 September: the day read in UTC, the zone of this parse.
			raw.leadOpportunity.nextMilestoneDate = '2025-09-01T23:30:00-02:00';
		});
		expect(body.leadOpportunity.nextMilestoneDate).toBe('2025-09-02T00:00:00.000Z');
		const record = stored('v1', body);
		record.nextMilestoneDate = '2025-09-02';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
		record.nextMilestoneDate = '2025-09-01';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.nextMilestoneDate',
		]);
	});

	it('matches a date-only body value with the stored midnight of that day', () => {
		const body = base();
		const record = stored('v1', body);
		(body.leadOpportunity as IDataObject).closeDate = '2025-12-31';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
		(body.leadOpportunity as IDataObject).closeDate = '2026-01-01';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.closeDate',
		]);
	});

	it.each([
		['America/New_York', '2025-12-31T05:00:00.000Z'],
		['Asia/Tokyo', '2025-12-30T15:00:00.000Z'],
		['America/Los_Angeles', '2025-12-31T08:00:00.000Z'],
	])(
		'a CRM instant at midnight of the day in %s is unchanged against the day stored as midnight UTC',
		(zone, instant) => {
			const raw = v1Raw();
			raw.leadOpportunity.closeDate = instant;
			raw.leadOpportunity.nextMilestoneDate = instant;
			const body = parse('v1', readDaysIn(raw, zone));
			expect(body.leadOpportunity.closeDate).toBe('2025-12-31T00:00:00.000Z');
			// 3DS (the sandbox in `midnight` mode) stores the day as midnight UTC.
			const record = got('v1', {
				...leadFromCreate('v1', wire(body), 'HCRQ-DIFF02', 'midnight'),
				createdDate: STAMP,
				modifiedDate: STAMP,
			});
			expect(record.closeDate).toBe('2025-12-31T00:00:00.000Z');
			expect(diffLeadOpportunity(body, record, 'v1').patch).toBeUndefined();
			// The next day, in the same zone, is a change.
			const next = parse(
				'v1',
				readDaysIn(
					{ ...raw, leadOpportunity: { ...raw.leadOpportunity, closeDate: '2026-01-01' } },
					zone,
				),
			);
			expect(diffLeadOpportunity(next, record, 'v1').changedFields).toEqual([
				'leadOpportunity.closeDate',
			]);
		},
	);

	it('a day stored as sent (the sandbox default) compares by its UTC day too', () => {
		const raw = v1Raw();
		const body = parse('v1', raw);
		const record = stored('v1', body);
		// A record written by another client, at 05:00Z of the same day.
		record.closeDate = '2025-12-31T05:00:00.000Z';
		expect(diffLeadOpportunity(body, record, 'v1').patch).toBeUndefined();
	});

	it('compares offer line dates as days, whatever form the GET uses', () => {
		const body = base();
		const record = stored('v1', body);
		const lines = record.offerLines as IDataObject[];
		lines[1].startDate = '2025-01-01T00:00:00.000Z';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
		lines[1].endDate = '2026-01-01';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual(['offerLines']);
	});
});

describe('diffLeadOpportunity: absent vs empty', () => {
	it('treats null, "" and [] as the same empty value', () => {
		const body = withRaw((raw) => {
			raw.leadOpportunity.description = '';
			raw.leadOpportunity.competitors = [];
			raw.customerContacts = [];
		});
		const record = stored('v1', body);
		record.description = null;
		record.competitors = null;
		record.customerContact = null;
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});

	it('writes a field the GET does not return at all', () => {
		const body = base();
		for (const key of ['description', 'competitors', 'closeDate', 'currency', 'status']) {
			const record = stored('v1', body);
			delete record[key];
			expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
				`leadOpportunity.${key}`,
			]);
		}
		const noLines = stored('v1', body);
		delete noLines.offerLines;
		expect(diffLeadOpportunity(body, noLines, 'v1').changedFields).toEqual(['offerLines']);
		const noContacts = stored('v1', body);
		delete noContacts.customerContact;
		delete noContacts.partnerContact;
		expect(diffLeadOpportunity(body, noContacts, 'v1').changedFields).toEqual([
			'customerContacts',
			'partnerContacts',
		]);
	});

	it('writes an empty value over a stored one', () => {
		const body = withRaw((raw) => {
			raw.leadOpportunity.description = '';
			raw.leadOpportunity.competitors = [];
		});
		const record = stored('v1', base());
		const { patch, changedFields } = diffLeadOpportunity(body, record, 'v1');
		expect(changedFields).toEqual(['leadOpportunity.competitors', 'leadOpportunity.description']);
		expect(patch?.leadOpportunity.description).toBe('');
		expect(patch?.leadOpportunity.competitors).toEqual([]);
	});

	it('treats an absent optional field of a contact or line like an empty one', () => {
		const body = base();
		const record = stored('v1', body);
		(record.customerContact as IDataObject[])[1].phoneNumber = '';
		(record.customerContact as IDataObject[])[1].jobTitle = null;
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
		(record.customerContact as IDataObject[])[1].phoneNumber = '+33 1 23';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual(['customerContacts']);
	});
});

describe('diffLeadOpportunity: lists as sets', () => {
	it('does not see a new order of offer lines, contacts, reasons or competitors as a change', () => {
		const body = base();
		const record = stored('v1', body);
		for (const key of [
			'offerLines',
			'customerContact',
			'partnerContact',
			'reasonWon',
			'competitors',
		])
			(record[key] as unknown[]).reverse();
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});

	it('sends the whole list when one line differs, since a PATCH replaces the lines', () => {
		const body = base();
		const record = stored('v1', body);
		(record.offerLines as IDataObject[])[0].amount = 12000;
		const { patch, changedFields } = diffLeadOpportunity(body, record, 'v1');
		expect(changedFields).toEqual(['offerLines']);
		expect(patch?.offerLines).toEqual(body.offerLines);
	});

	it.each([
		[
			'a line added',
			(lines: IDataObject[]) => lines.push({ offerNameId: 'OFFER-C', revenueType: 'PxC' }),
		],
		['a line removed', (lines: IDataObject[]) => lines.pop()],
		['a line duplicated', (lines: IDataObject[]) => lines.push({ ...lines[0] })],
		['another revenue type', (lines: IDataObject[]) => (lines[0].revenueType = 'QxC')],
		['a read-only revenue type', (lines: IDataObject[]) => (lines[0].revenueType = 'SxC')],
		['an amount dropped', (lines: IDataObject[]) => delete lines[0].amount],
		['an amount as text', (lines: IDataObject[]) => (lines[0].amount = 'a lot')],
		['a line that is not an object', (lines: IDataObject[]) => (lines[0] = 'OFFER-A' as never)],
		['another offer', (lines: IDataObject[]) => (lines[0].offerNameId = 'OFFER-Z')],
	])('sees %s', (_, change) => {
		const body = base();
		const record = stored('v1', body);
		change(record.offerLines as IDataObject[]);
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual(['offerLines']);
	});

	it('reads an amount written as a numeric string', () => {
		const body = base();
		const record = stored('v1', body);
		(record.offerLines as IDataObject[])[0].amount = '13000';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});

	it('applies the v1 default revenue type PxC to a line that has none', () => {
		const body = withRaw((raw) => {
			delete (raw.offerLines[0] as IDataObject).revenueType;
		});
		const record = stored('v1', body);
		expect((record.offerLines as IDataObject[])[0].revenueType).toBe('PxC');
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});

	it('compares contacts and reasons as sets', () => {
		const body = base();
		const record = stored('v1', body);
		(record.partnerContact as IDataObject[])[0].salesRepLastName = 'Other';
		record.reasonWon = ['STRNG_VAL_PROP'];
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'leadOpportunity.reasonWon',
			'partnerContacts',
		]);
	});

	it('reads the singular GET names of the contact lists, and the plural as a fallback', () => {
		const body = base();
		const record = stored('v1', body);
		record.customerContacts = record.customerContact;
		delete record.customerContact;
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([]);
	});
});

describe('diffLeadOpportunity: v0 offer lines', () => {
	const v0Body = () =>
		withRaw((raw) => {
			raw.offerLines = [
				{ offerNameId: 'OFFER-A', amount: 13000, revenueType: 'UPFRONT' },
				{ offerNameId: 'OFFER-B', amount: 500 } as never,
			];
		}, 'v0');

	it('compares v0 lines in the v0 vocabulary, a line without type as EMPTY', () => {
		const body = v0Body();
		const record = stored('v0', body);
		expect(record.offerLines).toEqual([
			{ amount: 13000, offerNameId: 'OFFER-A', revenueType: 'UPFRONT' },
			{ amount: 500, offerNameId: 'OFFER-B', revenueType: 'EMPTY' },
		]);
		expect(diffLeadOpportunity(body, record, 'v0').changedFields).toEqual([]);
		(record.offerLines as IDataObject[])[0].revenueType = 'RENTAL_BOOKING';
		expect(diffLeadOpportunity(body, record, 'v0').changedFields).toEqual(['offerLines']);
	});

	it('does not read v1 revenue types as their v0 equivalents', () => {
		const body = v0Body();
		const record = stored('v0', body);
		(record.offerLines as IDataObject[])[0].revenueType = 'PxC';
		expect(diffLeadOpportunity(body, record, 'v0').changedFields).toEqual(['offerLines']);
	});
});

describe('diffLeadOpportunity: customer legal entity', () => {
	it('compares each field the body holds and sends the whole entity when one differs', () => {
		const body = base();
		const record = stored('v1', body);
		(record.customerLegalEntity as IDataObject).city = 'Paris';
		(record.customerLegalEntity as IDataObject).vatNumber = 'FR123';
		const { patch, changedFields } = diffLeadOpportunity(body, record, 'v1');
		expect(changedFields).toEqual(['customerLegalEntity.city']);
		expect(patch?.customerLegalEntity).toEqual(body.customerLegalEntity);
		expect(updateBody('v1').safeParse(patch).success).toBe(true);
	});

	it('writes when the GET returns no entity, or a field of it is missing', () => {
		const body = base();
		const record = stored('v1', body);
		record.customerLegalEntity = null;
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'customerLegalEntity.name',
			'customerLegalEntity.city',
			'customerLegalEntity.country',
			'customerLegalEntity.zipCode',
		]);
		const partial = stored('v1', body);
		delete (partial.customerLegalEntity as IDataObject).zipCode;
		expect(diffLeadOpportunity(body, partial, 'v1').changedFields).toEqual([
			'customerLegalEntity.zipCode',
		]);
	});

	it('keeps the case of free-text fields: a country re-spelled is a change', () => {
		const body = base();
		const record = stored('v1', body);
		(record.customerLegalEntity as IDataObject).country = 'FRANCE';
		expect(diffLeadOpportunity(body, record, 'v1').changedFields).toEqual([
			'customerLegalEntity.country',
		]);
	});
});

// ---- Properties against the sandbox's own storing and patching ----

describe.each<ApiVersion>(['v1', 'v0'])(
	'diffLeadOpportunity against the sandbox (%s)',
	(version) => {
		it('sees no change between a body and what the sandbox stores and returns for it', () => {
			fc.assert(
				fc.property(leadBody(version, fc.constant('CRM-1')), (body) => {
					const { changedFields } = diffLeadOpportunity(body, stored(version, body), version);
					// The one value a create does not keep: the API's own rule, written by the update.
					expect(changedFields).toEqual(
						ignoredAtCreation(body) ? ['leadOpportunity.forecastCategory'] : [],
					);
				}),
				{ numRuns: 300 },
			);
		});

		it('sends a valid patch which, applied by the sandbox, yields a record the diff sees as equal', () => {
			fc.assert(
				fc.property(
					leadBody(version, fc.constant('CRM-1')),
					leadBody(version, fc.constantFrom('CRM-1', 'CRM-2')),
					(before, desired) => {
						const lead = storedLead(version, before);
						const first = diffLeadOpportunity(desired, got(version, lead), version);
						if (first.patch === undefined) return;
						expect(updateBody(version).safeParse(first.patch).success).toBe(true);
						applyUpdate(version, lead, wire(first.patch));
						expect(diffLeadOpportunity(desired, got(version, lead), version)).toEqual({
							patch: undefined,
							changedFields: [],
						});
					},
				),
				{ numRuns: 300 },
			);
		});
	},
);
