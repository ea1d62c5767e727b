// Every error the sandbox answers with: the spec's own codes and messages (examples in the spec),
// and the SANDBOX_* codes for rules the spec states in prose without giving a code.

export interface ApiFailure {
	status: number;
	code: string;
	message: string;
}

const fail = (status: number, code: string, message: string): ApiFailure => ({
	status,
	code,
	message,
});

export const failures = {
	// From the spec.
	duplicatePartnerId: () =>
		fail(
			400,
			'ERR801',
			'Leverage with this Partner External ID DSLeadOpportunityID already exists.',
		),
	badDateFormat: () =>
		fail(
			406,
			'ERR805',
			'Incorrect Close Date/next milestone date Format. Provide date in ISO8601 format.',
		),
	missingBounds: () =>
		fail(400, 'ERROR_043', 'Both startDateTime and endDateTime must be passed as parameters'),
	/** GET of an unknown id. PATCH answers the same code as a 400 (it declares no 500). */
	notInScope: (status: 500 | 400) =>
		fail(status, 'ERROR_048', 'Leverage Id not in scope of requestor'),
	badTop: () => fail(400, 'ERROR_004', '#top should be a positive, non zero integer'),
	badSkip: () => fail(400, 'ERROR_004', '#skip should be a positive or zero integer'),
	unavailable: () => fail(503, 'ERR899', 'Service currently unavailable, please try again later.'),
	// The sandbox's own (documented in README.md).
	schema: (details: string) =>
		fail(400, 'SANDBOX_SCHEMA', `Request does not match the API schema: ${details}`),
	invalidJson: (details: string) =>
		fail(400, 'SANDBOX_INVALID_JSON', `Request body is not valid JSON: ${details}`),
	currency: (currency: string) =>
		fail(400, 'SANDBOX_CURRENCY', `currency ${currency} is not an ISO 4217 currency code`),
	noCriterion: () =>
		fail(
			400,
			'SANDBOX_NO_CRITERION',
			'data must hold at least one criterion (modifiedDate or partnerLeadOpportunityId)',
		),
	notUtc: (value: string) =>
		fail(
			400,
			'SANDBOX_NOT_UTC',
			`modifiedDate bounds must be UTC date-times ending in Z, got ${value}`,
		),
	fromAfterTo: () =>
		fail(
			400,
			'SANDBOX_FROM_AFTER_TO',
			'modifiedDate.fromDate must not be after modifiedDate.toDate',
		),
	windowTooLong: () =>
		fail(400, 'SANDBOX_WINDOW_TOO_LONG', 'The modifiedDate window may not exceed 7 days'),
};

/** Gateway bodies, without an envelope. */
export const gatewayMessages = {
	missingKey: 'Missing API key in request',
	forbidden: 'API Consumer Not allowed',
	tooManyRequests: 'Too many requests, please try again later',
	notFound: 'no Route matched with those values',
} as const;
