import type { ApiVersion } from '../schemas';

/**
 * Every path the node calls. Ids are URL-encoded here, once, so a 3DS id holding `/`, `?` or `..`
 * can only ever name a lead-opportunity, never another path. Search and portfolio exist only
 * under /v0/ (there is no v1 of them, and they are not deprecated).
 */
const ROOT = '/sales/api4partners';

export const paths = {
	leadOpportunities: (version: ApiVersion) => `${ROOT}/${version}/leads-opportunities`,
	leadOpportunity: (version: ApiVersion, dsLeadOpportunityId: string) =>
		`${ROOT}/${version}/leads-opportunities/${encodeURIComponent(dsLeadOpportunityId)}`,
	search: () => `${ROOT}/v0/leads-opportunities/search`,
	portfolioItems: () => `${ROOT}/v0/portfolio-items/search`,
};
