/** Shared pieces of the intake pages' actions: reading the posted form and turning a refusal into a response. */
import { error, fail } from '@sveltejs/kit';
import { ApplicationError, type Upload } from './services/applications';
import { formToObject } from '../domain/application-form';
import { MAX_UPLOAD_BYTES } from './files';
import { Refusal } from './refusal';

/** The posted form as the nested object the form schema reads. */
export async function postedValues(request: Request): Promise<{ form: FormData; values: Record<string, unknown> }> {
	const form = await request.formData();
	return { form, values: formToObject(form.entries()) };
}

/**
 * An ApplicationError as the page's answer: 404/403 as error pages (ids cannot be probed),
 * everything else as `fail(status, { message, errors, values })`. Other errors are rethrown.
 */
export function refusal(e: unknown, values?: unknown) {
	if (e instanceof Refusal) {
		if (e.status === 404) error(404, { message: e.message });
		if (e.status === 403) error(403, { message: e.message });
		return fail(e.status, { message: e.message, errors: e.errors, values });
	}
	throw e;
}

/** The uploaded file of a form (field `file`), read into memory; null when none was chosen. */
export async function uploadedFile(form: FormData): Promise<Upload | null> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return null;
	// Larger than the limit: not worth reading (the service words the refusal).
	if (file.size > MAX_UPLOAD_BYTES) return { name: file.name, bytes: new Uint8Array(0), size: file.size };
	return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}
