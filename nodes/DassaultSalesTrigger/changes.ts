/**
 * Dedupe and change detection: which fetched versions are new (docs/trigger-exactness.md, 2.),
 * which of them are events of the chosen event, and what changed in each (the watched fields'
 * values before and after). Holds the poll's working copy of the memory and hands it back pruned.
 */
import type { IDataObject } from 'n8n-workflow';

import { modifiedMs } from './fetch';
import type { TriggerSettings } from './settings';
import {
	ANNOUNCED_KEEP_MS,
	CREATED_KEEP_MS,
	keepRecent,
	MAX_ANNOUNCED,
	MAX_CREATED,
	MAX_SEEN,
	MAX_VALUES,
	VALUES_KEEP_MS,
	type TriggerState,
} from './state';
import { compareWatched, encodeWatched } from './watchedFields';
import { iso, knownUnchanged, OVERLAP_MS, type Window } from './windows';

/** What an emitted item says changed. */
export interface Change {
	/** True when the trigger has no earlier version of the lead to compare with (nothing is claimed). */
	firstSeen: boolean;
	/** The watched fields whose value differs from the last version the trigger processed. */
	changedFields: string[];
	/** Their previous values (a long value kept only as a hash is left out); null at first sight. */
	previous: IDataObject | null;
}

export interface Emission {
	id: string;
	at: number;
	record: IDataObject;
	/** Undefined for New Unassigned Lead, whose items are the record alone. */
	change?: Change;
}

const FIRST_SIGHT: Change = { firstSeen: true, changedFields: [], previous: null };

export const hasPartnerId = (record: IDataObject) =>
	typeof record.partnerLeadOpportunityId === 'string' &&
	record.partnerLeadOpportunityId.trim() !== '';

/** Whether the record's status (after the change) is one of Only These Statuses. */
const inStatuses = (record: IDataObject, statuses: string[]) =>
	statuses.length === 0 || statuses.includes(String(record.status));

/** Whether a fetched record can be an event of this trigger, by its current values alone (Fetch Test Event). */
export function matches(record: IDataObject, settings: TriggerSettings): boolean {
	if (settings.event === 'unassignedLead' && hasPartnerId(record)) return false;
	return inStatuses(record, settings.statuses) && inStatuses(record, settings.toStatuses);
}

const datesOf = (stored: Record<string, string> | undefined) =>
	new Map<string, number>(Object.entries(stored ?? {}).map(([id, at]) => [id, Date.parse(at)]));

/** `values` entries are "modifiedDate in base 36|watched values". */
function valuesOf(state: TriggerState, watch: string): Map<string, { at: number; values: string }> {
	const values = new Map<string, { at: number; values: string }>();
	if (state.watch !== watch) return values; // other fields: nothing to compare with
	for (const [id, stored] of Object.entries(state.values ?? {})) {
		const bar = stored.indexOf('|');
		const at = parseInt(stored.slice(0, bar), 36);
		if (bar > 0 && Number.isFinite(at)) values.set(id, { at, values: stored.slice(bar + 1) });
	}
	return values;
}

export class ChangeMemory {
	readonly seen: Map<string, number>;
	private readonly announced: Map<string, number>;
	private readonly values: Map<string, { at: number; values: string }>;
	private readonly created: Map<string, number>;
	private createdFrom: number;
	private readonly watch: string;
	/** New Unassigned Lead without Emit Every Change: each lead once. */
	private readonly once: boolean;
	/** New versions processed by this poll (emitted or filtered out). */
	processed = 0;

	constructor(
		state: TriggerState,
		private readonly settings: TriggerSettings,
		/** Versions before it were made before the activation: remembered, never emitted. */
		private readonly since: number,
	) {
		this.once = settings.event === 'unassignedLead' && !settings.emitEveryChange;
		this.watch = settings.watched.join(',');
		this.seen = datesOf(state.seen);
		this.announced = this.once ? datesOf(state.announced) : new Map();
		this.values = valuesOf(state, this.watch);
		this.created = datesOf(state.created);
		this.createdFrom = state.createdFrom ? Date.parse(state.createdFrom) : since;
	}

	/** Whether an id the search of `window` returned must be fetched (it may show a new version to decide). */
	needsGet(id: string, window: Window): boolean {
		return (
			!knownUnchanged(this.seen, id, window) && !this.announced.has(id) && !this.created.has(id)
		);
	}

	/** A fetched version: remembered when new, and the emission it makes, if any. */
	take(id: string, record: IDataObject): Emission | undefined {
		const at = modifiedMs(record) as number;
		const known = this.seen.get(id);
		if (known !== undefined && at <= known) return undefined;
		// A lead claimed meanwhile: the unassigned search cannot return this version, nothing to remember.
		if (this.settings.event === 'unassignedLead' && hasPartnerId(record)) return undefined;
		this.seen.set(id, at);
		this.processed++;
		if (this.settings.event === 'unassignedLead') return this.takeUnassigned(id, at, record);
		if (this.settings.event === 'leadOpportunityCreated') return this.takeCreated(id, at, record);
		return this.takeWatched(id, at, record);
	}

	private takeUnassigned(id: string, at: number, record: IDataObject): Emission | undefined {
		if (at < this.since) {
			if (this.once) this.announced.set(id, at); // known before the activation: not new
			return undefined;
		}
		if (!inStatuses(record, this.settings.statuses)) return undefined;
		if (this.once) this.announced.set(id, at);
		return { id, at, record };
	}

	/** First seen, and created at or after `createdFrom` (the activation, or a pruned entry's date). */
	private takeCreated(id: string, at: number, record: IDataObject): Emission | undefined {
		const createdAt = Date.parse(String(record.createdDate));
		if (Number.isNaN(createdAt) || createdAt < this.createdFrom || at < this.since)
			return undefined;
		this.created.set(id, createdAt);
		if (!inStatuses(record, this.settings.statuses)) return undefined;
		return { id, at, record, change: FIRST_SIGHT };
	}

	private takeWatched(id: string, at: number, record: IDataObject): Emission | undefined {
		const values = encodeWatched(record, this.settings.watched);
		const before = this.values.get(id);
		this.values.set(id, { at, values });
		if (at < this.since) return undefined; // the baseline: known before the activation
		const change: Change = before
			? { firstSeen: false, ...compareWatched(before.values, values, this.settings.watched) }
			: FIRST_SIGHT;
		return this.isEvent(record, change) ? { id, at, record, change } : undefined;
	}

	/** The event's rule (docs/trigger-exactness.md, "Events"). */
	private isEvent(record: IDataObject, change: Change): boolean {
		const { event, statuses, toStatuses } = this.settings;
		if (!inStatuses(record, statuses)) return false;
		if (event === 'leadOpportunityUpdated') return true;
		if (event === 'fieldChanged') return change.changedFields.length > 0;
		// Status Changed, Won or Lost: into one of To Statuses; at first sight only when To Statuses
		// says which statuses matter (a lead in one that the trigger never told about).
		if (!inStatuses(record, toStatuses)) return false;
		return change.firstSeen ? toStatuses.length > 0 : change.changedFields.includes('status');
	}

	/** The memory to store after a poll committed up to `committed`, pruned. */
	toState(committed: number): Pick<TriggerState, 'seen'> & Partial<TriggerState> {
		const seen = keepRecent(this.seen, committed - OVERLAP_MS, MAX_SEEN, (_id, at) => iso(at));
		const announced = keepRecent(
			this.announced,
			committed - ANNOUNCED_KEEP_MS,
			MAX_ANNOUNCED,
			(_id, at) => iso(at),
		);
		const valueDates = new Map([...this.values].map(([id, { at }]) => [id, at]));
		const values = keepRecent(
			valueDates,
			committed - VALUES_KEEP_MS,
			MAX_VALUES,
			(id, at) => `${at.toString(36)}|${this.values.get(id)?.values ?? ''}`,
		);
		const created = keepRecent(this.created, committed - CREATED_KEEP_MS, MAX_CREATED, (_id, at) =>
			iso(at),
		);
		if (created.droppedUpTo !== undefined)
			this.createdFrom = Math.max(this.createdFrom, created.droppedUpTo + 1);
		const isCreated = this.settings.event === 'leadOpportunityCreated';
		return {
			seen: seen.kept,
			...(Object.keys(announced.kept).length > 0 ? { announced: announced.kept } : {}),
			...(Object.keys(values.kept).length > 0 ? { watch: this.watch, values: values.kept } : {}),
			...(isCreated && Number.isFinite(this.createdFrom)
				? { createdFrom: iso(this.createdFrom) }
				: {}),
			...(Object.keys(created.kept).length > 0 ? { created: created.kept } : {}),
		};
	}
}
