/**
 * The form actions of the standing conflict profile, shared by the office's expert page and the
 * expert's own profile page: each page says whose profile it edits (`expertOf`), after its own role
 * check. An action parses the form, calls the service and answers with `refusal(...)`.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { actorOf } from './guard';
import type { SessionUser } from './auth';
import { getDb } from './db';
import { refusal } from './refusal';
import { addAffiliation, deleteAffiliation, entryId, updateAffiliation } from './services/affiliations';

type Who = { user: SessionUser; expertId: string };

function read(form: FormData) {
	const get = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v : '';
	};
	return { kind: get('kind'), unit: get('unit'), relation: get('relation'), endedOn: get('endedOn'), note: get('note') };
}

export function affiliationActions<E extends RequestEvent>(expertOf: (event: E) => Who) {
	return {
		affiliationAdd: async (event: E) => {
			const { user, expertId } = expertOf(event);
			const values = read(await event.request.formData());
			try {
				addAffiliation(getDb(), actorOf(user), expertId, values);
				return { affiliation: { done: '已登记' } };
			} catch (e) {
				return refusal(e, { ...values, entry: 'new' });
			}
		},
		affiliationSave: async (event: E) => {
			const { user, expertId } = expertOf(event);
			const form = await event.request.formData();
			const values = read(form);
			const id = String(form.get('id') ?? '');
			try {
				const changed = updateAffiliation(getDb(), actorOf(user), expertId, entryId(form.get('id')), values);
				return { affiliation: { done: changed.length ? '已保存修改' : '没有需要保存的修改' } };
			} catch (e) {
				return refusal(e, { ...values, entry: id });
			}
		},
		affiliationDelete: async (event: E) => {
			const { user, expertId } = expertOf(event);
			const form = await event.request.formData();
			try {
				deleteAffiliation(getDb(), actorOf(user), expertId, entryId(form.get('id')));
				return { affiliation: { done: '已删除' } };
			} catch (e) {
				return refusal(e, { entry: String(form.get('id') ?? '') });
			}
		}
	};
}
