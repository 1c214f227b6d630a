/**
 * The expert's standing conflict profile (issue 13, item 6): the office and the expert edit it,
 * every entry validated, a refused request writes nothing, every change audited; an entry of
 * another expert is not reachable through this expert's profile.
 */
import { describe, expect, it } from 'vitest';
import * as s from '../../src/lib/server/db/schema';
import { Refusal } from '../../src/lib/server/refusal';
import { addAffiliation, deleteAffiliation, updateAffiliation } from '../../src/lib/server/services/affiliations';
import { expertAffiliations, loadAffiliations } from '../../src/lib/server/queries/affiliations';
import { OFFICE, auditActions, lastAudit, world } from './draw-world';

const NOW = new Date('2026-12-05T04:00:00Z'); // 2026-12-05 in Beijing

function refused(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

describe('the standing conflict profile', () => {
	it('adds a former unit and a relative, each audited without the text', () => {
		const db = world();
		const a = addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2024-03-31', note: '' }, NOW);
		expect(lastAudit(db)).toMatchObject({ action: 'expert.affiliation.add', entity: 'expert', entityId: 'e1', detail: { affiliationId: a, kind: 'former-unit' } });
		expect(JSON.stringify(lastAudit(db).detail)).not.toContain('甲子');
		addAffiliation(db, { userId: null, name: 'e2-self' }, 'e2', { kind: 'relative-unit', unit: '大连乙丑信息技术有限公司', relation: '配偶' }, NOW);
		expect(expertAffiliations(db, 'e1')).toMatchObject([{ kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2024-03-31', relation: null, note: null }]);
		expect(loadAffiliations(db)).toEqual([
			{ expertId: 'e1', kind: 'former-unit', unit: '沈阳甲子科技有限公司', relation: null, endedOn: '2024-03-31' },
			{ expertId: 'e2', kind: 'relative-unit', unit: '大连乙丑信息技术有限公司', relation: '配偶', endedOn: null }
		]);
	});

	it('refuses a missing unit, a missing, impossible or future leaving date, a missing relation — and writes nothing', () => {
		const db = world();
		const before = auditActions(db).length;
		expect(refused(() => addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: ' ', endedOn: '2024-01-01' }, NOW)).errors).toEqual({ unit: '请填写单位名称' });
		expect(refused(() => addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: '某单位', endedOn: '' }, NOW)).errors).toEqual({ endedOn: '请填写离开该单位的日期' });
		expect(refused(() => addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: '某单位', endedOn: '2023-02-29' }, NOW)).errors).toEqual({ endedOn: '离开日期不是有效的日历日期' });
		const future = refused(() => addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: '某单位', endedOn: '2026-12-06' }, NOW));
		expect(future.status).toBe(400);
		expect(future.errors.endedOn).toBe('离开日期 2026-12-06 晚于今天（2026-12-05），不能是将来的日期');
		expect(refused(() => addAffiliation(db, OFFICE, 'e1', { kind: 'relative-unit', unit: '某单位', relation: '' }, NOW)).errors).toEqual({ relation: '请填写亲属关系（如配偶、子女、父母）' });
		expect(refused(() => addAffiliation(db, OFFICE, 'nobody', { kind: 'relative-unit', unit: '某单位', relation: '子女' }, NOW)).status).toBe(404);
		expect(db.select().from(s.expertAffiliations).all()).toEqual([]);
		expect(auditActions(db).length).toBe(before);
	});

	it('edits an entry (the audit names the fields changed), refuses a bad edit unchanged, deletes it', () => {
		const db = world();
		const id = addAffiliation(db, OFFICE, 'e1', { kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2024-03-31' }, NOW);
		expect(updateAffiliation(db, OFFICE, 'e1', id, { kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2024-03-31' }, NOW)).toEqual([]);
		expect(updateAffiliation(db, OFFICE, 'e1', id, { kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2023-12-31', note: '借调' }, NOW)).toEqual(['endedOn', 'note']);
		expect(lastAudit(db)).toMatchObject({ action: 'expert.affiliation.update', entityId: 'e1', detail: { affiliationId: id, changed: ['endedOn', 'note'] } });
		const n = auditActions(db).length;
		refused(() => updateAffiliation(db, OFFICE, 'e1', id, { kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2027-01-01' }, NOW));
		expect(expertAffiliations(db, 'e1')[0]).toMatchObject({ endedOn: '2023-12-31', note: '借调' });
		expect(auditActions(db).length).toBe(n);
		deleteAffiliation(db, OFFICE, 'e1', id);
		expect(expertAffiliations(db, 'e1')).toEqual([]);
		expect(lastAudit(db)).toMatchObject({ action: 'expert.affiliation.delete', entityId: 'e1', detail: { affiliationId: id, kind: 'former-unit' } });
	});

	it('an expert cannot reach another expert\'s entry through their own profile', () => {
		const db = world();
		const id = addAffiliation(db, OFFICE, 'e1', { kind: 'relative-unit', unit: '某单位', relation: '父母' }, NOW);
		expect(refused(() => updateAffiliation(db, OFFICE, 'e2', id, { kind: 'relative-unit', unit: '别的单位', relation: '父母' }, NOW)).status).toBe(404);
		expect(refused(() => deleteAffiliation(db, OFFICE, 'e2', id)).status).toBe(404);
		expect(refused(() => deleteAffiliation(db, OFFICE, 'e1', Number.NaN)).status).toBe(404);
		expect(expertAffiliations(db, 'e1')).toHaveLength(1);
	});
});
