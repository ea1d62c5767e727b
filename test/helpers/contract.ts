/**
 * The contract layer's check, applied to every request the node sends in the unit and sandbox
 * tests: the body must validate against the request schema of the spec fixture (Ajv over the
 * YAML, the same loader the sandbox uses), so the zod schemas cannot accept what 3DS would refuse.
 */
import { formatAjvErrors, loadSpec } from '../../sandbox/spec';

const ROUTES: Array<[string, RegExp, string]> = [
	['POST', /\/sales\/api4partners\/v1\/leads-opportunities$/, 'createLeadsOpportunities_v1'],
	['POST', /\/sales\/api4partners\/v0\/leads-opportunities$/, 'createLeadsOpportunities'],
	[
		'PATCH',
		/\/sales\/api4partners\/v1\/leads-opportunities\/[^/]+$/,
		'updateLeadOpportunitiesDetails_v1',
	],
	[
		'PATCH',
		/\/sales\/api4partners\/v0\/leads-opportunities\/[^/]+$/,
		'updateLeadOpportunitiesDetails',
	],
	['POST', /\/sales\/api4partners\/v0\/leads-opportunities\/search$/, 'searchLeadsOpportunities'],
];

export const operationIdOf = (method: string, url: string): string | undefined =>
	ROUTES.find(([m, pattern]) => m === method.toUpperCase() && pattern.test(url.split('?')[0]))?.[2];

/** Requests checked so far in this test file, for the contract test's own count. */
export const checkedBodies: Array<{ operationId: string; body: unknown }> = [];

/** Throws when a request body breaks the spec; returns the operationId it was checked against. */
export function assertRequestMatchesSpec(
	method: string,
	url: string,
	body: unknown,
): string | undefined {
	const operationId = operationIdOf(method, url);
	if (!operationId) return undefined;
	const validate = loadSpec().requestValidator(operationId);
	if (validate && !validate(body)) {
		throw new Error(
			`Contract violation: the body sent to ${operationId} breaks the spec: ${formatAjvErrors(validate.errors)}`,
		);
	}
	checkedBodies.push({ operationId, body });
	return operationId;
}
