/**
 * One way to refuse a request. A service that will not do what it was asked throws a `Refusal`
 * (every service's own error class extends it): a Chinese sentence for the user, the HTTP status,
 * and, for a form, the fields it names. Actions turn it into `fail(...)` with `refusal(e, values)`,
 * the command line into its one-line error, endpoints into an `error(...)`.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';

export class Refusal extends Error {
	readonly status: number;
	readonly errors: Record<string, string>;
	constructor(message: string, status = 400, errors: Record<string, string> = {}) {
		super(message);
		this.name = 'Refusal';
		this.status = status;
		this.errors = errors;
	}
}

/** A service's refusal as the action's answer (form values echoed back); anything else is rethrown. */
export function refusal<V>(e: unknown, values?: V): ActionFailure<{ message: string; errors: Record<string, string>; values?: V }> {
	if (e instanceof Refusal) return fail(e.status, { message: e.message, errors: e.errors, ...(values === undefined ? {} : { values }) });
	throw e;
}
