/**
 * `.transform()` and `.superRefine()` at the cost of a function call. zod 3's `ZodEffects` builds,
 * for every value it parses, a context with a getter and a bound `addIssue`: about 3 µs each,
 * a third of validating a create body, which has three of them (close date, currency, offer line).
 * These run the same steps in the same order with the same results: the inner schema, then the
 * function; an issue the function adds is the same issue at the same path and makes the result
 * dirty (aborted if fatal), exactly as `ZodEffects` does. An async parse (which the node never
 * runs) goes through zod's own `ZodEffects`, so it stays identical too.
 */
import {
	addIssueToContext,
	INVALID,
	ZodType,
	type input,
	type IssueData,
	type output,
	type ParseContext,
	type ParseInput,
	type ParseReturnType,
	type RefinementCtx,
	type ZodTypeAny,
	type ZodTypeDef,
} from 'zod';

type Status = 'valid' | 'dirty' | 'aborted';

/** The `ctx` the function gets: `addIssue` and `path`, as zod's refinement context. */
class IssueSink implements RefinementCtx {
	status: Status;

	private ctx?: ParseContext;

	constructor(
		private readonly schema: ZodTypeAny,
		private readonly input: ParseInput,
		status: Status,
	) {
		this.status = status;
	}

	addIssue = (issue: IssueData): void => {
		this.ctx ??= this.schema._getOrReturnCtx(this.input);
		addIssueToContext(this.ctx, issue);
		if (issue.fatal) this.status = 'aborted';
		else if (this.status === 'valid') this.status = 'dirty';
	};

	get path() {
		return this.input.path;
	}
}

interface EffectDef<T extends ZodTypeAny> extends ZodTypeDef {
	schema: T;
	run: (value: output<T>, ctx: RefinementCtx) => unknown;
	kind: 'transform' | 'refinement';
	/** zod's own effect, for async parses. */
	effects: ZodTypeAny;
}

class FastEffect<T extends ZodTypeAny, Output> extends ZodType<Output, EffectDef<T>, input<T>> {
	_parse(parseInput: ParseInput): ParseReturnType<Output> {
		const { schema, run, kind, effects } = this._def;
		if (parseInput.parent.common.async) return effects._parse(parseInput);
		const inner = schema._parse(parseInput);
		if (inner instanceof Promise) throw new Error('Synchronous parse encountered promise.');
		if (kind === 'transform') {
			if (inner.status !== 'valid') return INVALID;
			const sink = new IssueSink(this, parseInput, 'valid');
			const result = run(inner.value, sink);
			if (result instanceof Promise) {
				throw new Error(
					'Asynchronous transform encountered during synchronous parse operation. Use .parseAsync instead.',
				);
			}
			return { status: sink.status, value: result as Output } as ParseReturnType<Output>;
		}
		if (inner.status === 'aborted') return INVALID;
		const sink = new IssueSink(this, parseInput, inner.status);
		const result = run(inner.value, sink);
		if (result instanceof Promise) {
			throw new Error(
				'Async refinement encountered during synchronous parse operation. Use .parseAsync instead.',
			);
		}
		return { status: sink.status, value: inner.value } as ParseReturnType<Output>;
	}
}

/** `schema.transform(transform)`, without ZodEffects' per-value cost. */
export const transform = <T extends ZodTypeAny, Output>(
	schema: T,
	fn: (value: output<T>, ctx: RefinementCtx) => Output,
): ZodType<Output, ZodTypeDef, input<T>> =>
	new FastEffect<T, Output>({
		schema,
		run: fn,
		kind: 'transform',
		effects: schema.transform(fn),
	});

/** `schema.superRefine(check)`, without ZodEffects' per-value cost. */
export const superRefine = <T extends ZodTypeAny>(
	schema: T,
	check: (value: output<T>, ctx: RefinementCtx) => void,
): ZodType<output<T>, ZodTypeDef, input<T>> =>
	new FastEffect<T, output<T>>({
		schema,
		run: check,
		kind: 'refinement',
		effects: schema.superRefine(check),
	});
