/**
 * What an operation module gives the router: a `Prepare` that reads and validates one item into
 * a `PreparedItem`, which says what the item touches (its keys) and how to send it.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ScheduledItem } from '../utils/scheduler';
import type { Execution } from './execution';

/** An item read and validated, ready to run: what it touches and how to send it. */
export type PreparedItem = ScheduledItem<INodeExecutionData[]>;

/**
 * Reads and validates one item; sends nothing. Items are read in input order, ahead of their
 * runs, so an item may learn of later ones (Create or Update registers its partner id for the
 * chunk searches).
 */
export type Prepare = (
	this: IExecuteFunctions,
	itemIndex: number,
	execution: Execution,
) => Promise<PreparedItem>;

/** Keys of a `PreparedItem`: a partner lead-opportunity id and a 3DS id never collide. */
export const partnerKey = (partnerLeadOpportunityId: string) => `p:${partnerLeadOpportunityId}`;
export const dsKey = (dsLeadOpportunityId: string) => `d:${dsLeadOpportunityId}`;
