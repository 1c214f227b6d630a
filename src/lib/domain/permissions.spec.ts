/** 三员分立: the role → permission table keeps the three administrators apart and out of the review. */
import { describe, expect, it } from 'vitest';
import {
	ACCOUNT_MANAGER_ROLES,
	ADMIN_ROLES,
	BUSINESS_PERMISSIONS,
	PERMISSIONS,
	ROLES,
	ROLE_HOME,
	ROLE_LABELS,
	ROLE_PERMISSIONS,
	can,
	canScore,
	canViewApplication,
	manageableRoles,
	seesPersonalData,
	type Permission
} from './permissions';

const holders = (p: Permission) => ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(p));
const principal = (role: (typeof ROLES)[number]) => ({ id: 'u', role, region: role === 'city' ? 'anshan' : null, expertId: null });

describe('the three administrators (三员分立)', () => {
	it('are three roles with their own label and home', () => {
		expect(ADMIN_ROLES).toEqual(['sysadmin', 'secadmin', 'auditadmin']);
		for (const r of ADMIN_ROLES) {
			expect(ROLES).toContain(r);
			expect(ROLE_LABELS[r]).toMatch(/管理员$/);
		}
		expect(new Set(ADMIN_ROLES.map((r) => ROLE_HOME[r])).size).toBe(3);
	});

	it('each holds a permission no other role holds (its own pages are closed to everyone else)', () => {
		for (const r of ADMIN_ROLES) expect(ROLE_PERMISSIONS[r].some((p) => holders(p).length === 1), r).toBe(true);
	});

	it('share no permission: every permission belongs to at most one of them', () => {
		for (const p of PERMISSIONS) {
			const admins = holders(p).filter((r) => (ADMIN_ROLES as readonly string[]).includes(r));
			expect(admins.length, `${p}: ${admins.join(', ')}`).toBeLessThanOrEqual(1);
		}
		for (const a of ADMIN_ROLES) for (const b of ADMIN_ROLES) if (a !== b) expect(ROLE_PERMISSIONS[a].filter((p) => ROLE_PERMISSIONS[b].includes(p))).toEqual([]);
	});

	it('hold no permission of the review, and see no application or personal data', () => {
		for (const r of ADMIN_ROLES) {
			expect(ROLE_PERMISSIONS[r].filter((p) => BUSINESS_PERMISSIONS.includes(p) || p.startsWith('review.')), r).toEqual([]);
			expect(canViewApplication(principal(r), { id: 'a', region: 'anshan', status: 'submitted' }), r).toBe(false);
			expect(seesPersonalData(principal(r)), r).toBe(false);
		}
	});

	it('sysadmin manages accounts and backups, but neither reads the audit log nor changes security settings', () => {
		const sys = { role: 'sysadmin' as const };
		expect(can(sys, 'account.manage')).toBe(true);
		expect(can(sys, 'backup.run')).toBe(true);
		for (const p of ['audit.read', 'audit.export', 'audit.verify', 'security.settings'] as const) expect(can(sys, p), p).toBe(false);
		expect(manageableRoles('sysadmin')).toEqual(ROLES);
	});

	it('secadmin changes the security settings only, and manages no account', () => {
		expect(ROLE_PERMISSIONS.secadmin).toEqual(['security.settings']);
		expect(manageableRoles('secadmin')).toEqual([]);
		expect(can({ role: 'secadmin' }, 'account.manage')).toBe(false);
		expect(can({ role: 'secadmin' }, 'account.manage.expert')).toBe(false);
	});

	it('auditadmin reads, exports and verifies the audit log and can change nothing', () => {
		expect([...ROLE_PERMISSIONS.auditadmin].sort()).toEqual(['audit.admin', 'audit.export', 'audit.read', 'audit.verify']);
		const writes = PERMISSIONS.filter((p) => !p.startsWith('audit.'));
		for (const p of writes) expect(can({ role: 'auditadmin' }, p), p).toBe(false);
		expect(manageableRoles('auditadmin')).toEqual([]);
	});

	it('only the sysadmin changes security-relevant state of others: one holder each for accounts, backups, settings, verification', () => {
		expect(holders('account.manage')).toEqual(['sysadmin']);
		expect(holders('backup.run')).toEqual(['sysadmin']);
		expect(holders('security.settings')).toEqual(['secadmin']);
		expect(holders('audit.verify')).toEqual(['auditadmin']);
		expect(holders('audit.admin')).toEqual(['auditadmin']);
	});
});

describe('the business roles keep what they had', () => {
	it('the office opens expert accounts only; the office and the observer read the audit log', () => {
		expect(manageableRoles('office')).toEqual(['expert']);
		for (const r of ['city', 'expert', 'observer'] as const) expect(manageableRoles(r)).toEqual([]);
		expect(holders('audit.read').sort()).toEqual(['auditadmin', 'observer', 'office']);
		expect(ACCOUNT_MANAGER_ROLES).toEqual(['office', 'sysadmin']);
	});

	it('each business role holds its own review permission and reads applications', () => {
		expect(holders('review.office')).toEqual(['office']);
		expect(holders('review.city')).toEqual(['city']);
		expect(holders('review.expert')).toEqual(['expert']);
		expect(holders('review.observe')).toEqual(['observer']);
		expect(holders('application.read')).toEqual(['office', 'city', 'expert', 'observer']);
	});

	it("the draw's logistics: the expert answers, the office manages invitations, the observer confirms the draw record", () => {
		expect(holders('invitation.answer')).toEqual(['expert']);
		expect(holders('invitation.manage')).toEqual(['office']);
		expect(holders('draw.record')).toEqual(['office', 'observer']);
		expect(holders('draw.confirm')).toEqual(['observer']);
	});

	it('an expert opens an assigned application and scores only after confirming the invitation', () => {
		const expert = { id: 'u', role: 'expert' as const, region: null, expertId: 'e1' };
		const rel = { assigned: true, hardConflict: false, published: true, committed: true };
		const app = { id: 'a', region: 'anshan', status: 'accepted' };
		expect(canViewApplication(expert, app, rel)).toBe(true);
		expect(canViewApplication(expert, app, { ...rel, confirmed: true })).toBe(true);
		expect(canViewApplication(expert, app, { ...rel, confirmed: false })).toBe(false);
		expect(canScore(expert, { ...rel, confirmed: false })).toBe(false);
		expect(canScore(expert, { ...rel, confirmed: true })).toBe(true);
	});

	it('the office rates experts (履职评价) and reads every record; an expert replies to their own ratings', () => {
		expect(holders('expert.rate')).toEqual(['office']);
		expect(holders('expert.record.read')).toEqual(['office']);
		expect(holders('expert.rating.reply')).toEqual(['expert']);
	});

	it('every permission is held by someone, and nobody anonymous holds any', () => {
		for (const p of PERMISSIONS) expect(holders(p).length, p).toBeGreaterThan(0);
		for (const p of PERMISSIONS) expect(can(null, p)).toBe(false);
	});
});
