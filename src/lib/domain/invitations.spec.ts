import { describe, expect, it } from 'vitest';
import {
	answerInvitation,
	chooseAlternate,
	daysToReply,
	effectiveStatus,
	invitationOpens,
	InvitationRefusal,
	isOverdue,
	parseReplyDeadline,
	replacementCause,
	type AlternateFacts
} from './invitations';

/** 2023-07-01 23:30 in Beijing is 15:30 UTC; 00:30 the next Beijing day is 16:30 UTC. */
const lateOnDeadlineDay = new Date('2023-07-01T15:30:00Z');
const earlyNextDay = new Date('2023-07-01T16:30:00Z');

describe('expiry by the Beijing date', () => {
	it('counts the deadline day itself and expires from the next Beijing day on, whatever the UTC date says', () => {
		expect(isOverdue('2023-07-01', lateOnDeadlineDay)).toBe(false);
		expect(isOverdue('2023-07-01', earlyNextDay)).toBe(true);
		expect(isOverdue(null, earlyNextDay)).toBe(false);
		expect(effectiveStatus({ status: 'pending' }, '2023-07-01', lateOnDeadlineDay)).toBe('pending');
		expect(effectiveStatus({ status: 'pending' }, '2023-07-01', earlyNextDay)).toBe('expired');
	});
	it('leaves answered invitations as they are after the deadline', () => {
		expect(effectiveStatus({ status: 'confirmed' }, '2023-07-01', earlyNextDay)).toBe('confirmed');
		expect(effectiveStatus({ status: 'declined' }, '2023-07-01', earlyNextDay)).toBe('declined');
	});
	it('counts the days left in Beijing days', () => {
		expect(daysToReply('2023-07-01', lateOnDeadlineDay)).toBe(0);
		expect(daysToReply('2023-07-01', earlyNextDay)).toBe(-1);
		expect(daysToReply('2023-07-03', earlyNextDay)).toBe(1);
		expect(daysToReply(null)).toBeNull();
	});
});

describe('the invitation state machine', () => {
	const pending = { status: 'pending' as const };
	it('moves pending to confirmed, or to declined with a reason', () => {
		expect(answerInvitation(pending, { answer: 'confirm' }, '2023-07-01', lateOnDeadlineDay)).toEqual({ status: 'confirmed', reason: null });
		expect(answerInvitation(pending, { answer: 'decline', reason: '  出差在外  ' }, null)).toEqual({ status: 'declined', reason: '出差在外' });
	});
	it('requires a reason of 2 to 500 characters to decline, and a known answer', () => {
		const err = (raw: { answer?: unknown; reason?: unknown }) => {
			try {
				answerInvitation(pending, raw, null);
			} catch (e) {
				return e instanceof InvitationRefusal ? [e.field, e.message] : ['?', String(e)];
			}
			return null;
		};
		expect(err({ answer: 'decline' })).toEqual(['reason', expect.stringContaining('原因')]);
		expect(err({ answer: 'decline', reason: ' 忙 ' })).toEqual(['reason', expect.stringContaining('至少2个字')]);
		expect(err({ answer: 'decline', reason: '忙'.repeat(501) })).toEqual(['reason', expect.stringContaining('500')]);
		expect(err({ answer: 'maybe' })).toEqual(['answer', expect.stringContaining('参加')]);
		expect(err({})).toEqual(['answer', expect.any(String)]);
	});
	it('refuses a second answer, an answer after the deadline and an answer without an invitation', () => {
		expect(() => answerInvitation({ status: 'confirmed' }, { answer: 'decline', reason: '改变主意' }, null)).toThrow(/已答复/);
		expect(() => answerInvitation({ status: 'declined' }, { answer: 'confirm' }, null)).toThrow(/已答复/);
		expect(() => answerInvitation({ status: 'expired' }, { answer: 'confirm' }, null)).toThrow(/答复期限/);
		expect(() => answerInvitation(pending, { answer: 'confirm' }, '2023-07-01', earlyNextDay)).toThrow(/答复期限（2023-07-01）已过/);
		expect(() => answerInvitation(null, { answer: 'confirm' }, null)).toThrow(/没有待答复/);
	});
	it('offers a replacement for a decline or an expired invitation only', () => {
		expect(replacementCause({ status: 'declined' }, null)).toBe('declined');
		expect(replacementCause({ status: 'expired' }, null)).toBe('no-answer');
		expect(replacementCause(pending, '2023-07-01', earlyNextDay)).toBe('no-answer');
		expect(replacementCause(pending, '2023-07-01', lateOnDeadlineDay)).toBeNull();
		expect(replacementCause({ status: 'confirmed' }, '2023-07-01', earlyNextDay)).toBeNull();
		expect(replacementCause(null, null)).toBeNull();
	});
	it('opens applications and scoring only after confirming (or without any invitation)', () => {
		expect(invitationOpens('confirmed')).toBe(true);
		expect(invitationOpens(null)).toBe(true);
		expect(invitationOpens('pending')).toBe(false);
		expect(invitationOpens('declined')).toBe(false);
		expect(invitationOpens('expired')).toBe(false);
	});
	it('parses the reply deadline: a real date or nothing', () => {
		expect(parseReplyDeadline(' 2023-07-01 ')).toBe('2023-07-01');
		expect(parseReplyDeadline('')).toBeNull();
		expect(() => parseReplyDeadline('2023-02-30')).toThrow(/答复截止日期/);
		expect(() => parseReplyDeadline('7/1/2023')).toThrow(/答复截止日期/);
	});
});

describe('the next alternate', () => {
	const facts = (over: Partial<AlternateFacts> = {}): AlternateFacts => ({
		assigned: new Set(['e1']),
		active: (id) => id !== 'inactive',
		reviewsOccupation: (id) => id !== 'other-occ',
		hardConflict: (id) => id === 'conflicted',
		declined: new Set(['said-no']),
		atLoadCap: (id) => id === 'busy',
		...over
	});
	it('takes the first by rank who can sit, and says why the others were passed over', () => {
		const ranked = [
			{ expertId: 'free', rank: 7 },
			{ expertId: 'conflicted', rank: 1 },
			{ expertId: 'e1', rank: 2 },
			{ expertId: 'inactive', rank: 3 },
			{ expertId: 'said-no', rank: 4 },
			{ expertId: 'busy', rank: 5 },
			{ expertId: 'other-occ', rank: 6 }
		];
		const r = chooseAlternate(ranked, facts());
		expect(r.expertId).toBe('free');
		expect(r.skipped).toEqual([
			{ expertId: 'conflicted', reason: 'hard-conflict' },
			{ expertId: 'e1', reason: 'assigned' },
			{ expertId: 'inactive', reason: 'inactive' },
			{ expertId: 'said-no', reason: 'declined' },
			{ expertId: 'busy', reason: 'load' },
			{ expertId: 'other-occ', reason: 'occupation' }
		]);
	});
	it('returns nobody when every alternate is passed over or there are none', () => {
		expect(chooseAlternate([{ expertId: 'conflicted', rank: 1 }], facts()).expertId).toBeNull();
		expect(chooseAlternate([], facts())).toEqual({ expertId: null, skipped: [] });
	});
});
