// Random valid create bodies (as the node's zod schema outputs them), for the diff's properties:
// test/unit/leadOpportunityDiff.test.ts against the sandbox's functions, test/sandbox/diff.test.ts
// against the sandbox over HTTP.
import fc from 'fast-check';

import {
	createBody,
	enumValues,
	FORECAST_CATEGORY,
	LEAD_OPPORTUNITY_STATUS,
	type ApiVersion,
	type CreateBody,
} from '../../nodes/DassaultSales/schemas';
import { LEAD_STAGES } from '../../sandbox/lead-rules';

const STATUSES = enumValues(LEAD_OPPORTUNITY_STATUS);
const FORECASTS = enumValues(FORECAST_CATEGORY);
const word = fc.constantFrom('Alpha', 'Beta', 'gamma', 'Delta', 'épsilon', 'Zeta 2');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const instant = fc
	.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
	.map((ms) => new Date(ms).toISOString());
const day = fc
	.integer({ min: 0, max: 3000 })
	.map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const email = fc
	.tuple(word, fc.constantFrom('acme.fr', 'Partner.COM'))
	.map(([w, d]) => `${w.replace(/\W/g, 'x')}@${d}`);

const v1Line = fc
	.record({
		offerNameId: fc.constantFrom('OFFER-A', 'OFFER-B', 'OFFER-C'),
		amount: maybe(fc.integer({ min: 0, max: 100_000 })),
		revenueType: maybe(fc.constantFrom('PxC', 'YxC', 'QxC')),
		startDate: maybe(day),
		endDate: maybe(day),
	})
	.map((line) => {
		const dated = line.revenueType === 'YxC' || line.revenueType === 'QxC';
		const { startDate, endDate, ...rest } = line;
		if (!dated) return rest;
		const [from, to] = [startDate, endDate].sort();
		return { ...rest, startDate: from, endDate: to };
	});
const v0Line = fc.record({
	offerNameId: fc.constantFrom('OFFER-A', 'OFFER-B'),
	amount: maybe(fc.integer({ min: 0, max: 100_000 })),
	revenueType: maybe(
		fc.constantFrom('UPFRONT', 'RENTAL_BOOKING', 'SUPPORT_SERVICES', 'SERVICES_SIGNING', 'EMPTY'),
	),
});

const strip = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T; // drops the undefined keys the arbitraries leave

export const leadBody = (version: ApiVersion, partnerLeadOpportunityId: fc.Arbitrary<string>) =>
	fc
		.record({
			partnerId: fc.constantFrom('200000000014442', 'P2'),
			leadOpportunity: fc.record({
				partnerLeadOpportunityId,
				name: word,
				status: fc.constantFrom(...STATUSES),
				forecastCategory: maybe(fc.constantFrom(...FORECASTS)),
				closeDate: instant,
				currency: fc.constantFrom('EUR', 'usd', 'INR'),
				dsOwnerEmail: maybe(email),
				description: maybe(fc.constantFrom('', 'Pilot', 'Rollout')),
				nextMilestone: maybe(word),
				nextMilestoneDate: maybe(instant),
				cometCampaignCode: maybe(word),
				competitors: maybe(fc.array(word, { maxLength: 3 })),
				reasonWon: maybe(fc.subarray(['STRNG_VAL_PROP', 'LWR_IMPL_COST', 'EMPTY'])),
				reasonLost: maybe(fc.subarray(['NO_PROJECT', 'FUNC_GAP'])),
			}),
			offerLines: fc.array<object>(version === 'v1' ? v1Line : v0Line, {
				minLength: 1,
				maxLength: 3,
			}),
			customerLegalEntity: fc.record({
				name: word,
				city: word,
				country: fc.constantFrom('France', 'FRANCE', 'Germany'),
				zipCode: maybe(fc.constantFrom(null, '69001', '75002')),
				vatNumber: maybe(fc.constantFrom(null, 'FR1')),
			}),
			customerContacts: maybe(
				fc.array(
					fc.record({
						email,
						firstName: word,
						lastName: word,
						jobTitle: maybe(word),
						phoneNumber: maybe(fc.constantFrom('+33 1', '555')),
					}),
					{ maxLength: 3 },
				),
			),
			partnerContacts: maybe(
				fc.array(
					fc.record({ salesRepEmail: email, salesRepFirstName: word, salesRepLastName: word }),
					{ maxLength: 2 },
				),
			),
		})
		.map((raw) => createBody(version).parse(strip(raw)));

/** The API ignores a forecast category at creation for lead stages (forecastCategory prose). */
export const ignoredAtCreation = (body: CreateBody) =>
	LEAD_STAGES.includes(body.leadOpportunity.status as never) &&
	body.leadOpportunity.forecastCategory !== undefined &&
	body.leadOpportunity.forecastCategory !== 'EMPTY';
