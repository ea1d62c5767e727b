// v0 and v1 share one store. The store speaks the v1 GET vocabulary; v0 requests and responses
// are translated here (docs/api-notes.md §1.3): UPFRONT↔PxC, RENTAL_BOOKING↔YxC (QxC reads back as
// RENTAL_BOOKING), SERVICES_SIGNING↔SxC, SUPPORT_SERVICES and EMPTY unchanged.
import type {
	ApiVersion,
	LeadOpportunity,
	OfferLine,
	RequestOfferLine,
	RevenueType,
	RevenueTypeV0,
} from './types';

const FROM_V0: Record<RevenueTypeV0, RevenueType> = {
	UPFRONT: 'PxC',
	RENTAL_BOOKING: 'YxC',
	SERVICES_SIGNING: 'SxC',
	SUPPORT_SERVICES: 'SUPPORT_SERVICES',
	EMPTY: 'EMPTY',
};

const TO_V0: Record<RevenueType, RevenueTypeV0> = {
	PxC: 'UPFRONT',
	YxC: 'RENTAL_BOOKING',
	QxC: 'RENTAL_BOOKING',
	SxC: 'SERVICES_SIGNING',
	SUPPORT_SERVICES: 'SUPPORT_SERVICES',
	EMPTY: 'EMPTY',
};

/**
 * Request offer lines (already schema-valid for their version) in store form. A v1 line without
 * revenueType gets the schema default PxC; v0 declares no default, so it is stored as EMPTY.
 */
export function offerLinesFromRequest(
	version: ApiVersion,
	lines: readonly RequestOfferLine[],
): OfferLine[] {
	return lines.map((line) => {
		const revenueType: RevenueType =
			version === 'v0'
				? line.revenueType === undefined
					? 'EMPTY'
					: FROM_V0[line.revenueType as RevenueTypeV0]
				: ((line.revenueType ?? 'PxC') as RevenueType);
		return {
			...(line.amount === undefined ? {} : { amount: line.amount }),
			offerNameId: line.offerNameId,
			revenueType,
			// v0 lines have no dates; v1 keeps them whatever the revenue type (the schema does not tie them).
			...(version === 'v1' && line.startDate !== undefined ? { startDate: line.startDate } : {}),
			...(version === 'v1' && line.endDate !== undefined ? { endDate: line.endDate } : {}),
		};
	});
}

/** The GET `data.leadOpportunity` of a stored lead, for one API version. */
export function leadForVersion(version: ApiVersion, lead: LeadOpportunity): object {
	const copy = structuredClone(lead);
	if (version === 'v1') return copy;
	return {
		...copy,
		offerLines: copy.offerLines.map(({ amount, offerNameId, revenueType }) => ({
			...(amount === undefined ? {} : { amount }),
			offerNameId,
			revenueType: TO_V0[revenueType],
		})),
	};
}
