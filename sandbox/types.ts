// Shapes the sandbox stores and serves. The store keeps each lead in the v1 GET shape
// (`200_get_leads-opportunities` → data.leadOpportunity), so v1 reads are a copy and v0 reads only
// translate the revenue types (see versions.ts).

export const LEAD_STATUSES = [
	'LEAD_OPEN',
	'QUALIFIED',
	'ACCEPTED',
	'OPPY_OPEN',
	'VALIDATED',
	'ESTABLISHED',
	'WON',
	'LOST',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const FORECAST_CATEGORIES = [
	'UPSIDE',
	'COMMIT',
	'SAFE',
	'WON',
	'LOST',
	'LONGSHOT',
	'EMPTY',
] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** The store's vocabulary: `revenueType_get`, the widest set (v1 GET). */
export type RevenueType = 'PxC' | 'YxC' | 'QxC' | 'SUPPORT_SERVICES' | 'SxC' | 'EMPTY';
/** `revenueType_deprecated_v0`: v0 requests and v0 GET. */
export type RevenueTypeV0 =
	| 'UPFRONT'
	| 'RENTAL_BOOKING'
	| 'SUPPORT_SERVICES'
	| 'SERVICES_SIGNING'
	| 'EMPTY';

export type ApiVersion = 'v0' | 'v1';

export interface OfferLine {
	amount?: number;
	offerNameId: string;
	revenueType: RevenueType;
	startDate?: string;
	endDate?: string;
}

export interface CustomerLegalEntity {
	id: string | null;
	dunsNumber: string | null;
	vatNumber: string | null;
	registrationId: string | null;
	name: string | null;
	city: string | null;
	country: string | null;
	addressLine1: string | null;
	statePrefecture: string | null;
	addressLine2: string | null;
	zipCode: string | null;
	websiteUrl: string | null;
}

export interface CustomerContact {
	phoneNumber?: string;
	salutation?: string;
	jobTitle?: string;
	email: string;
	firstName: string;
	lastName: string;
}

export interface PartnerContact {
	salesRepEmail: string;
	salesRepFirstName: string;
	salesRepLastName: string;
}

/** A lead-opportunity as the store holds it: the v1 GET `data.leadOpportunity` shape. */
export interface LeadOpportunity {
	/** Absent or `''` on unassigned marketing leads. */
	partnerLeadOpportunityId?: string;
	dsLeadOpportunityId: string;
	name: string;
	dsOwnerEmail: string;
	status: LeadStatus;
	forecastCategory: ForecastCategory;
	closeDate: string;
	cometCampaignCode: string | null;
	competitors: string[] | null;
	reasonWon: string[] | null;
	reasonLost: string[] | null;
	reasonWonLostComment: string | null;
	gtmTacticId: string | null;
	description: string | null;
	nextMilestone: string | null;
	nextMilestoneDate: string | null;
	currency: string;
	approvalStatus: string | null;
	engagementType: string | null;
	poInformation: string | null;
	poStatus: string | null;
	poNumber: string | null;
	sboIndicator: string | null;
	sboStatus: string | null;
	sboNumber: string | null;
	growthType: string | null;
	leadPriority: string | null;
	levelOfInterest: string | null;
	dsComment: string | null;
	partnerImportMode: string | null;
	createdDate: string;
	modifiedDate: string;
	offerLines: OfferLine[];
	customerLegalEntity: CustomerLegalEntity;
	customerContact: CustomerContact[] | null;
	partnerContact: PartnerContact[] | null;
}

export interface PortfolioItem {
	salesPortfolioType: string;
	salesPortfolioInfrastructure: 'On Premise' | 'On Cloud';
	salesPortfolioisOrderable: boolean;
	salesPortfolioLevel1: string;
	salesPortfolioLevel2: string;
	salesPortfolioLevel3: string;
	salesPortfolioId: string;
}

/**
 * One entry per create, update and admin change, in the order they happened. `change` is
 * 'create' | 'update' | 'marketing-lead' | 'status' | 'owner' | 'nextMilestone', or several admin
 * kinds joined by '+' (e.g. 'status+owner') when one admin call changed more than one thing.
 */
export interface ChangeLogEntry {
	id: string;
	modifiedDate: string;
	change: string;
}

// Request bodies, as typed after Ajv accepted them (the schemas allow extra keys; we read only these).

export interface RequestLeadAttributes {
	partnerLeadOpportunityId?: string;
	name?: string;
	dsOwnerEmail?: string;
	status?: LeadStatus;
	forecastCategory?: ForecastCategory;
	closeDate?: string;
	cometCampaignCode?: string;
	reasonWon?: string[];
	reasonLost?: string[];
	competitors?: string[];
	reasonWonLostComment?: string;
	gtmTacticId?: string;
	description?: string;
	nextMilestone?: string;
	nextMilestoneDate?: string;
	currency?: string;
}

export interface RequestOfferLine {
	amount?: number;
	offerNameId: string;
	revenueType?: string;
	startDate?: string;
	endDate?: string;
}

export interface LeadWriteBody {
	partnerId: string;
	leadOpportunity: RequestLeadAttributes;
	offerLines?: RequestOfferLine[];
	customerLegalEntity?: Partial<CustomerLegalEntity>;
	customerContacts?: CustomerContact[];
	partnerContacts?: PartnerContact[];
}

export interface SearchBody {
	data: Array<{
		modifiedDate?: { fromDate: string; toDate: string };
		partnerLeadOpportunityId?: string | unknown[];
	}>;
}
