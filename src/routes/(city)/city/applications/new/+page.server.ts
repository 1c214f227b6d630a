import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { batchFromRow } from '$lib/server/queries/bundle';
import { postedValues, refusal } from '$lib/server/intake-forms';
import { batchYear, createDraft, recommendedInCell, regionInstitution, regionInstitutions } from '$lib/server/services/applications';
import { quotaFor } from '$lib/domain/bundle';
import { OCCUPATIONS } from '$lib/domain/occupations';
import { regionUnit } from '$lib/domain/regions';
import { emptyFormValues, emptyTaxRow, institutionValues, type FieldErrors } from '$lib/domain/application-form';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

const typeOf = (v: string | null): 'training' | 'evaluation' | null => (v === 'training' || v === 'evaluation' ? v : null);

export const load = ((event) => {
	const user = requireRole(event, 'city');
	const region = user.region!;
	const q = event.url.searchParams;
	const raw = q.get('type');
	const type = typeOf(raw);
	if (raw && !type) error(400, { message: '申报类型无效（应为培训机构或评价机构）' });
	const db = getDb();
	const batch = batchFromRow(requestScope(event).batch);
	const values = emptyFormValues(batchYear(batch));
	const masked: FieldErrors = {};
	let pickMessage: string | null = null;
	const pickId = q.get('institution');
	const pickUscc = q.get('uscc');
	if (type && (pickId || pickUscc)) {
		const inst = regionInstitution(db, region, { id: pickId, uscc: pickUscc });
		if (inst) {
			values.inst = institutionValues(inst);
			if (inst.taxes.length) {
				values.taxes = inst.taxes.map((t) => ({ year: String(t.year), amount: t.amount == null ? '' : String(t.amount), dishonest: t.dishonest == null ? '' : t.dishonest ? '1' : '0' }));
				while (values.taxes.length < 3) values.taxes.push(emptyTaxRow());
			}
			if (inst.legalRep?.idNumber) masked['inst.legalRepIdNumber'] = inst.legalRep.idNumber;
			pickMessage = `已带入“${inst.name}”的单位信息，请核对；修改后保存为本申报的单位信息。`;
		} else {
			pickMessage = pickUscc ? `本地区没有统一社会信用代码为 ${pickUscc} 的申报单位，请直接填写新单位。` : '所选单位不属于本地区，请重新选择。';
		}
	}
	// Quota use per occupation for this type, shown beside the occupations.
	const notes: Record<string, string> = {};
	if (type) {
		for (const o of OCCUPATIONS) {
			const used = recommendedInCell(db, { batchId: requestScope(event).batch.id, region, occupation: o.key, type });
			const quota = quotaFor(batch, type, region);
			notes[o.key] = quota === null ? `已推荐 ${used} 家` : `已推荐 ${used}/${quota}${used >= quota ? '，名额已满' : ''}`;
		}
	}
	return {
		type,
		region,
		unit: regionUnit(region),
		values,
		masked,
		pickMessage,
		institutions: regionInstitutions(db, region),
		closed: batch.closedEvaluationOccupations,
		notes,
		quotas: { training: quotaFor(batch, 'training', region), evaluation: quotaFor(batch, 'evaluation', region) }
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'city');
		const type = typeOf(event.url.searchParams.get('type'));
		if (!type) error(400, { message: '申报类型无效（应为培训机构或评价机构）' });
		const { values } = await postedValues(event.request);
		let id: string;
		try {
			id = createDraft(requestScope(event), user, type, values).id;
		} catch (e) {
			return refusal(e, values);
		}
		redirect(303, `/city/applications/${id}?created=1`);
	}
} satisfies Actions;
