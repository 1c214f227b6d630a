/**
 * Who may do what, as pure functions of the user and the object. The routes call these after
 * loading the object, on top of the role check of each route group's layout and action.
 */

export type Role = 'office' | 'city' | 'expert' | 'observer';
export type Principal = { id: string; role: Role; region: string | null; expertId: string | null };

export const ROLE_LABELS: Record<Role, string> = {
	office: '省厅人才开发处',
	city: '推荐单位（市局）',
	expert: '评审专家',
	observer: '监督人员'
};

export const ROLE_HOME: Record<Role, string> = {
	office: '/office',
	city: '/city',
	expert: '/expert',
	observer: '/observer'
};

export function homeFor(role: Role): string {
	return ROLE_HOME[role];
}

export function hasRole(user: Principal | null | undefined, ...roles: Role[]): user is Principal {
	return !!user && roles.includes(user.role);
}

/** Application as far as permissions care. */
export type ApplicationRef = { id: string; region: string; status: string };

/** The expert's relation to one application. */
export type ExpertRelation = { assigned: boolean; hardConflict: boolean; published: boolean; committed: boolean };

export function canViewApplication(user: Principal, app: ApplicationRef, rel?: ExpertRelation): boolean {
	switch (user.role) {
		case 'office':
		case 'observer':
			return true;
		case 'city':
			return user.region === app.region;
		case 'expert':
			return !!rel && rel.assigned && !rel.hardConflict && rel.published && rel.committed;
	}
}

/** A city edits its own region's applications while they are drafts or returned to it. */
export function canEditApplication(user: Principal, app: ApplicationRef): boolean {
	if (user.role === 'office') return true;
	if (user.role === 'city') return user.region === app.region && (app.status === 'draft' || app.status === 'returned');
	return false;
}

export function canScore(user: Principal, rel: ExpertRelation): boolean {
	return user.role === 'expert' && rel.assigned && !rel.hardConflict && rel.published && rel.committed;
}

/** Only the office sees full personal ID numbers and phone numbers of legal representatives. */
export function seesPersonalData(user: Principal): boolean {
	return user.role === 'office';
}

export function canManageUsers(user: Principal): boolean {
	return user.role === 'office';
}

export function canReadAudit(user: Principal): boolean {
	return user.role === 'office' || user.role === 'observer';
}
