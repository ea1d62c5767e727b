/**
 * Fetch Test Event (n8n's manual mode): the most recent lead-opportunity of the last 7 days that
 * can be an item of the chosen event, shown as the trigger would emit it. The trigger's state is
 * left as it was; without it there is nothing to compare with, so the item is a first sight.
 */
import type { IDataObject } from 'n8n-workflow';

import { searchIds, type DassaultSalesClient } from '../DassaultSales/shared';
import { matches, type Emission } from './changes';
import { fetchRecords, modifiedMs, NOT_FETCHED } from './fetch';
import type { TriggerSettings } from './settings';
import { criteria, halves, MIN_SPLIT_MS, type Window } from './windows';

/** Fetch Test Event looks this far back. */
export const MANUAL_LOOK_BACK_MS = 7 * 24 * 60 * 60 * 1000;
/** Fetch Test Event halves its range until a part holds at most this many ids, newest part first. */
export const MANUAL_MAX_GETS = 10;

/** Whether a record can be a test item of the event: Created wants a createdDate in the range. */
function fits(record: IDataObject, settings: TriggerSettings, from: number): boolean {
	if (!matches(record, settings)) return false;
	if (settings.event !== 'leadOpportunityCreated') return true;
	const createdAt = Date.parse(String(record.createdDate));
	return !Number.isNaN(createdAt) && createdAt >= from;
}

/**
 * The most recent fitting record of the last 7 days. The range is halved, newest half first,
 * until a part holds few ids; those are fetched and the latest fitting one wins.
 */
export async function fetchTestEvent(
	client: DassaultSalesClient,
	settings: TriggerSettings,
	now: number,
): Promise<Pick<Emission, 'record' | 'change'> | undefined> {
	const from = now - MANUAL_LOOK_BACK_MS;
	const latestIn = async (window: Window): Promise<IDataObject | undefined> => {
		const ids = await searchIds(client, criteria(settings, window));
		if (ids.length === 0) return undefined;
		if (ids.length > MANUAL_MAX_GETS && window.to - window.from >= MIN_SPLIT_MS) {
			const [older, newer] = halves(window);
			return (await latestIn(newer)) ?? (await latestIn(older));
		}
		const results = await fetchRecords(client, ids);
		let best: { record: IDataObject; at: number; id: string } | undefined;
		results.forEach((result, index) => {
			// (Without `halt` every id is answered or thrown: NOT_FETCHED cannot come here.)
			if (result === undefined || result === NOT_FETCHED || !fits(result.record, settings, from))
				return;
			const at = modifiedMs(result.record) ?? Number.NEGATIVE_INFINITY;
			const id = ids[index];
			if (!best || at > best.at || (at === best.at && id > best.id))
				best = { record: result.record, at, id };
		});
		return best?.record;
	};
	const record = await latestIn({ from, to: now });
	if (record === undefined) return undefined;
	const firstSight = { firstSeen: true, changedFields: [], previous: null };
	return { record, ...(settings.event === 'unassignedLead' ? {} : { change: firstSight }) };
}
