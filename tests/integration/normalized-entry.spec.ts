/**
 * Data as people type it (issue 15, item 12): full-width digits, lower-case codes, spaces around
 * values, names padded with a full-width space. A bundle stores what the web form stores, so the
 * same value gets the same findings and conflicts on every path.
 */
import { describe, expect, it } from 'vitest';
import { memoryDb } from '../../src/lib/server/db';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { computeConflicts, computeFindings } from '../../src/lib/server/services/batch-state';
import { loadApplications, loadExperts, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { idCheckChar, usccCheckChar } from '../../src/lib/domain/identifiers';
import { scoringBundle } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

const FW = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('normalized entry through a bundle', () => {
	it('stores codes, ID numbers, phones, names and dates as the web form does', () => {
		const b = scoringBundle() as Record<string, any>;
		const first17 = '9121010000000000M'.replace('M', '1');
		const uscc = first17 + usccCheckChar(first17);
		const id17 = '21010219800101123';
		const id = id17 + idCheckChar(id17);
		b.institutions[0].uscc = ` ${FW(uscc.toLowerCase())} `;
		b.institutions[0].legalRep = { name: '周　明', idNumber: ` ${FW(id.slice(0, 10))} ${id.slice(10).toLowerCase()}` };
		b.applications[0].contact = { name: ' 李　华 ', title: '主任', phone: FW('13900001111'), email: null };
		b.applications[0].recommendation.date = FW('2023-06-10').replace('-', '－');
		b.experts[0].phone = ' 139 0000 1111 ';
		b.experts[0].name = '李华';
		const db = memoryDb();
		importBundle(db, b, SYSTEM_ACTOR);

		const inst = loadInstitutions(db).find((i) => i.id === 'inst-1')!;
		expect(inst.uscc).toBe(uscc);
		expect(inst.legalRep).toEqual({ name: '周明', idNumber: id });
		const app = loadApplications(requireScope(db)).find((a) => a.app.id === 'app-1')!.app;
		expect(app.contact?.name).toBe('李华');
		expect(app.contact?.phone).toBe('13900001111');
		expect(app.recommendation?.date).toBe('2023-06-10');
		expect(loadExperts(db).find((e) => e.id === 'exp-1')!.phone).toBe('139 0000 1111');

		const findings = computeFindings(requireScope(db)).findings.get('app-1') ?? [];
		expect(findings.map((f) => f.code)).not.toContain('USCC_INVALID');
		expect(findings.map((f) => f.code)).not.toContain('LEGAL_REP_ID_INVALID');
		// The expert is the application's contact: same name, same number typed two ways.
		const conflicts = computeConflicts(requireScope(db)).conflicts.filter((c) => c.applicationId === 'app-1' && c.expertId === 'exp-1');
		expect(conflicts.map((c) => c.code)).toContain('APPLICATION_CONTACT');
	});
});
