/**
 * One way to refuse a request. A service that will not do what it was asked throws a `Refusal`
 * (every service's own error class extends it): a Chinese sentence for the user, the HTTP status,
 * and, for a form, the fields it names. Actions turn it into `fail(...)` with `refusal(e, values)`,
 * the command line into its one-line error, endpoints into an `error(...)`.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';

export class Refusal extends Error {
	status: number;
	errors: Record<string, string>;
	constructor(message: string, status = 400, errors: Record<string, string> = {}) {
		super(message);
		this.name = 'Refusal';
		this.status = status;
		this.errors = errors;
	}
	/** The first field the refusal names (null for the request as a whole). */
	get field(): string | null {
		return Object.keys(this.errors)[0] ?? null;
	}
}

export type RefusalData<V = undefined> = { message: string; error: string; errors: Record<string, string>; field: string | null; values?: V };

/**
 * A service's refusal as the action's answer: `message` (and `error`, the name older pages read),
 * the fields it names, the form values echoed back. Anything else is rethrown.
 */
export function refusal<V = undefined>(e: unknown, values?: V): ActionFailure<RefusalData<V>> {
	if (e instanceof Refusal) {
		return fail(e.status, { message: e.message, error: e.message, errors: e.errors, field: e.field, ...(values === undefined ? {} : { values }) });
	}
	throw e;
}
