// Business rules the spec states in prose (docs/api-notes.md §5), applied on create, update and
// admin changes alike.
import type { ForecastCategory, LeadStatus } from './types';
import { PSM_EMAILS } from './seed-data';

export const LEAD_STAGES: readonly LeadStatus[] = ['LEAD_OPEN', 'QUALIFIED', 'ACCEPTED'];
export const OPPY_STAGES: readonly LeadStatus[] = ['OPPY_OPEN', 'VALIDATED', 'ESTABLISHED'];
const OPPY_FORECASTS: readonly ForecastCategory[] = ['SAFE', 'COMMIT', 'UPSIDE', 'LONGSHOT'];

/** "defaulted to the primary 3DS PSM if not provided at creation time". */
export const PRIMARY_PSM = PSM_EMAILS[0];
/** reasonWon / reasonLost defaults at creation. */
export const DEFAULT_REASON_WON = 'STRNG_VAL_PROP';
export const DEFAULT_REASON_LOST = 'NO_PROJECT';

/**
 * The forecastCategory matrix: ignored (EMPTY) at creation for lead stages; UPSIDE by default for
 * opportunity stages; WON and LOST are set by the system. On update an explicit value is kept,
 * and an opportunity that had no category (it was a lead) gets UPSIDE.
 */
export function forecastFor(
	status: LeadStatus,
	requested: ForecastCategory | undefined,
	current: ForecastCategory | undefined,
): ForecastCategory {
	if (status === 'WON') return 'WON';
	if (status === 'LOST') return 'LOST';
	const creating = current === undefined;
	if (LEAD_STAGES.includes(status)) return creating ? 'EMPTY' : (requested ?? current);
	if (requested) return requested;
	return !creating && OPPY_FORECASTS.includes(current) ? current : 'UPSIDE';
}

/** The status 3DS would move a lead to next (LEVERAGE order), or undefined once it is closed. */
export function nextStatus(status: LeadStatus, lose: boolean): LeadStatus | undefined {
	if (status === 'WON' || status === 'LOST') return undefined;
	if (lose) return 'LOST';
	const order: readonly LeadStatus[] = [...LEAD_STAGES, ...OPPY_STAGES, 'WON'];
	return order[order.indexOf(status) + 1];
}
