/**
 * Turns a zod failure into a `NodeOperationError` that names the item, the field (as the user sees
 * it and as the API names it) and the fix. Used for every body before it is sent.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ZodIssue, ZodType, ZodTypeDef } from '../schemas/zod';

/** The names the node's fields show, for the API's property names. */
const LABELS: Record<string, string> = {
	partnerId: 'Partner ID (set it in the credential or under Additional Fields)',
	partnerLeadOpportunityId: 'Partner Lead-Opportunity ID',
	name: 'Name',
	status: 'Status',
	closeDate: 'Close Date',
	currency: 'Currency',
	dsOwnerEmail: 'PSM Email (3DS Owner)',
	forecastCategory: 'Forecast Category',
	reasonWon: 'Reason Won',
	reasonLost: 'Reason Lost',
	nextMilestoneDate: 'Next Milestone Date',
	offerLines: 'Offer Lines',
	offerNameId: 'Offer',
	amount: 'Amount',
	revenueType: 'Revenue Type',
	startDate: 'Start Date',
	endDate: 'End Date',
	customerLegalEntity: 'Customer',
	city: 'City',
	country: 'Country',
	fromDate: 'Modified After',
	toDate: 'Modified Before',
};

export const pathToString = (path: ReadonlyArray<string | number>): string =>
	path.reduce<string>(
		(text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
		'',
	);

function describeIssue(issue: ZodIssue): string {
	const path = pathToString(issue.path);
	const last = [...issue.path].reverse().find((key) => typeof key === 'string');
	const label = last !== undefined ? LABELS[last] : undefined;
	const message =
		issue.code === 'invalid_type' && issue.received === 'undefined'
			? 'is required'
			: issue.code === 'invalid_type'
				? `must be ${issue.expected}, not ${issue.received}`
				: issue.message;
	if (!path) return message;
	return label ? `${label} (${path}) ${message}` : `${path} ${message}`;
}

export function validateInput<Output>(
	schema: ZodType<Output, ZodTypeDef, unknown>,
	value: unknown,
	node: INode,
	itemIndex: number,
	what: string,
): Output {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issues = result.error.issues.map(describeIssue);
	const shown = issues.slice(0, 10);
	if (issues.length > shown.length) shown.push(`…and ${issues.length - shown.length} more`);
	throw new NodeOperationError(node, `Invalid ${what} in item ${itemIndex}: ${issues[0]}`, {
		itemIndex,
		description: `Nothing was sent to 3DS. Fix:\n- ${shown.join('\n- ')}`,
	});
}
