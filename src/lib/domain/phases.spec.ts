import { describe, expect, it } from 'vitest';
import { batchPhase, canArchive, canChangeScores, canLock, canUnlock, canWrite } from './phases';

describe('batch phases', () => {
	it('orders archive over lock over publication', () => {
		expect(batchPhase({})).toBe('intake');
		expect(batchPhase({ assignmentsPublishedAt: 'x' })).toBe('review');
		expect(batchPhase({ assignmentsPublishedAt: 'x', resultsLockedAt: 'y' })).toBe('locked');
		expect(batchPhase({ resultsLockedAt: 'y', archivedAt: 'z' })).toBe('archived');
	});
	it('freezes scores when locked and everything when archived', () => {
		expect(canChangeScores('review')).toBe(true);
		expect(canChangeScores('locked')).toBe(false);
		expect(canWrite('locked')).toBe(true);
		expect(canWrite('archived')).toBe(false);
		expect(canLock('review')).toBe(true);
		expect(canLock('locked')).toBe(false);
		expect(canUnlock('locked')).toBe(true);
		expect(canUnlock('archived')).toBe(false);
		expect(canArchive('review')).toBe(true);
		expect(canArchive('archived')).toBe(false);
	});
});
