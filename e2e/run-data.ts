// Run data: what an n8n execution produced, read from `n8n execute --rawOutput` or from an
// execution fetched with its data, summarised per node; and what n8n's log says about our package.
import { PACKAGE_NAME } from './package';

export type Json = Record<string, unknown>;

export interface NodeResult {
	/** The `json` of every item of the node's first output (last run of the node). */
	items: Json[];
	/** Every output's items (`outputs[0]` is `items`). */
	outputs: Json[][];
	/** The node's error message, when it failed. */
	error?: string;
	errorDescription?: string;
	/** How many times the node ran. */
	runs: number;
}

export interface ExecuteResult {
	/** n8n's exit code: 0 success, 1 a node failed. */
	exitCode: number;
	ok: boolean;
	/** Per node name. */
	nodes: Record<string, NodeResult>;
	/** The workflow error (`resultData.error.message`), when it failed. */
	error?: string;
	lastNodeExecuted?: string;
	/** The whole IRun n8n printed (`data.resultData.runData` etc.), when it printed one. */
	raw?: Json;
	stdout: string;
	stderr: string;
	durationMs: number;
}

interface TaskData {
	data?: { main?: ({ json: Json }[] | null)[] };
	error?: { message?: string; description?: string };
}

/** Finds the IRun in `n8n execute --rawOutput` output logged as JSON lines. */
export function parseExecuteOutput(stdout: string): Json | undefined {
	for (const line of stdout.split('\n').reverse()) {
		if (!line.startsWith('{')) continue;
		let message: unknown;
		try {
			message = (JSON.parse(line) as { message?: unknown }).message;
		} catch {
			continue;
		}
		if (typeof message !== 'string' || !message.trimStart().startsWith('{')) continue;
		try {
			const parsed = JSON.parse(message) as { data?: { resultData?: { runData?: unknown } } };
			if (parsed?.data?.resultData?.runData) return parsed as Json;
		} catch {
			continue;
		}
	}
	return undefined;
}

export function summarizeRun(
	raw: Json | undefined,
): Pick<ExecuteResult, 'nodes' | 'error' | 'lastNodeExecuted'> {
	const resultData = ((raw?.data as Json | undefined)?.resultData ?? {}) as {
		runData?: Record<string, TaskData[]>;
		error?: { message?: string };
		lastNodeExecuted?: string;
	};
	const nodes: Record<string, NodeResult> = {};
	for (const [name, runs] of Object.entries(resultData.runData ?? {})) {
		const last = runs[runs.length - 1] ?? {};
		const outputs = (last.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json));
		nodes[name] = {
			items: outputs[0] ?? [],
			outputs,
			error: last.error?.message,
			errorDescription: last.error?.description ?? undefined,
			runs: runs.length,
		};
	}
	return { nodes, error: resultData.error?.message, lastNodeExecuted: resultData.lastNodeExecuted };
}

export interface Execution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string;
	stoppedAt?: string;
	workflowId: string;
	data?: Json;
	[key: string]: unknown;
}

/** Per node, the items and error of one execution fetched with includeData. */
export function executionNodes(execution: Execution): Record<string, NodeResult> {
	return summarizeRun(execution as unknown as Json).nodes;
}

/** An execution fetched with includeData, summarised like `execute`'s result. */
export function executionRun(
	execution: Execution,
): Pick<ExecuteResult, 'ok' | 'nodes' | 'error' | 'lastNodeExecuted'> {
	return { ok: execution.status === 'success', ...summarizeRun(execution as unknown as Json) };
}

/** Lines of an n8n log that mention our package and look like a load error or warning. */
export function packageProblems(log: string): string[] {
	return log
		.split('\n')
		.filter((l) => l.includes(PACKAGE_NAME) || /dassault/i.test(l))
		.filter((l) => /error|warn|fail|could not|cannot|unrecognized|not found|invalid/i.test(l));
}
