import type { SessionUser } from '$lib/server/auth';
import type { SessionRow } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: SessionRow | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
