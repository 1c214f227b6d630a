/**
 * In-process notifications for server-sent events: the meeting's chair moves to an application
 * and every connected screen is told at once (each screen then reloads its own, role-checked data).
 */
import { EventEmitter } from 'node:events';

/**
 * `vote`: a round opened or closed; `opinion`: the 综合评审意见 changed; `ballot`: a panel member
 * voted (no application, no choice), forwarded only to the chair's stream (`withBallots`) so that
 * its count of votes cast moves; no other stream ever sees it.
 */
export type MeetingEvent = { seq: number; applicationId: string | null; at: string; kind: 'move' | 'decision' | 'lock' | 'vote' | 'opinion' | 'ballot' };

const bus = new EventEmitter();
bus.setMaxListeners(0);
let seq = 0;

export function publishMeeting(kind: MeetingEvent['kind'], applicationId: string | null): MeetingEvent {
	const event = { seq: ++seq, applicationId, at: new Date().toISOString(), kind };
	bus.emit('meeting', event);
	return event;
}

export function onMeeting(listener: (e: MeetingEvent) => void): () => void {
	bus.on('meeting', listener);
	return () => bus.off('meeting', listener);
}

export function meetingListeners(): number {
	return bus.listenerCount('meeting');
}

/** What an expert's screen is told: that something changed, never which application (its own view says what it may see). */
export function withoutApplication(e: MeetingEvent): Omit<MeetingEvent, 'applicationId'> {
	return { seq: e.seq, at: e.at, kind: e.kind };
}

/**
 * A text/event-stream response that forwards meeting events and sends a heartbeat every 15 s;
 * `shape` chooses what of each event the viewer is sent.
 */
export function meetingStream(
	initial: MeetingEvent | null,
	signal?: AbortSignal,
	shape: (e: MeetingEvent) => object = (e) => e,
	opts: { withBallots?: boolean } = {}
): Response {
	const forward = (e: MeetingEvent) => opts.withBallots || e.kind !== 'ballot';
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const enc = new TextEncoder();
			const send = (text: string) => {
				try {
					controller.enqueue(enc.encode(text));
				} catch {
					stop();
				}
			};
			send('retry: 1000\n\n');
			if (initial && forward(initial)) send(`event: meeting\ndata: ${JSON.stringify(shape(initial))}\n\n`);
			const off = onMeeting((e) => {
				if (forward(e)) send(`event: meeting\ndata: ${JSON.stringify(shape(e))}\n\n`);
			});
			const beat = setInterval(() => send(': heartbeat\n\n'), 15_000);
			stop = () => {
				off();
				clearInterval(beat);
			};
			signal?.addEventListener('abort', () => {
				stop();
				try {
					controller.close();
				} catch {
					/* already closed */
				}
			});
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: {
			'Content-Type': 'text/event-stream; charset=utf-8',
			'Cache-Control': 'no-store',
			Connection: 'keep-alive',
			'X-Accel-Buffering': 'no'
		}
	});
}
