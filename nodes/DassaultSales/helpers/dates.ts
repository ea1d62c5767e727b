/**
 * The workflow's time zone, and the date fields of a body read in it (schemas/dates.ts says how).
 * Validation then meets only UTC values, or what no zone could read, which it names as an error.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isKnownTimeZone, toIsoDate, toUtcDateTime, toUtcMidnight } from '../schemas';

type Reader = (value: unknown, zone: string) => string | undefined;

/** Workflow settings › Timezone (n8n falls back on the instance's, America/New_York by default). */
export function workflowZone(this: IExecuteFunctions, itemIndex: number): string {
	const zone = this.getTimezone();
	if (isKnownTimeZone(zone)) return zone;
	throw new NodeOperationError(this.getNode(), `Unknown workflow time zone "${zone}"`, {
		itemIndex,
		description: 'Choose a time zone in Workflow settings › Timezone, such as Europe/Paris.',
	});
}

/** The value read in `zone`, or the value itself for validation to name. */
const inZone = (value: unknown, read: Reader, zone: string): unknown => read(value, zone) ?? value;

const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `record` with the `readers`' fields read in `zone` (the caller's object stays as it was). */
function withFields(record: IDataObject, readers: Record<string, Reader>, zone: string) {
	const copy: IDataObject = { ...record };
	for (const [key, read] of Object.entries(readers))
		if (copy[key] !== undefined) copy[key] = inZone(copy[key], read, zone) as IDataObject[string];
	return copy;
}

const LEAD_DAYS: Record<string, Reader> = {
	closeDate: toUtcMidnight,
	nextMilestoneDate: toUtcMidnight,
};
const OFFER_LINE_DAYS: Record<string, Reader> = { startDate: toIsoDate, endDate: toIsoDate };

/** A create or update body (fields or JSON) with its days read in the workflow's time zone. */
export function readDaysIn(body: IDataObject, zone: string): IDataObject {
	const read: IDataObject = { ...body };
	if (isRecord(body.leadOpportunity))
		read.leadOpportunity = withFields(body.leadOpportunity, LEAD_DAYS, zone);
	if (Array.isArray(body.offerLines))
		read.offerLines = body.offerLines.map((line: unknown) =>
			isRecord(line) ? withFields(line, OFFER_LINE_DAYS, zone) : line,
		) as IDataObject[];
	return read;
}

/** An instant (a search bound) read in the workflow's time zone. */
export const readInstantIn = (value: unknown, zone: string): unknown =>
	inZone(value, toUtcDateTime, zone);
