import { expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { keyFileFor, readKeyFile } from '../../src/lib/server/keys';
import { decryptValue } from '../../src/lib/server/personal-data';

export const E2E_DB = process.env.E2E_DB ?? 'data/e2e.db';

export const PASSWORDS = {
	office: 'Office2023demo',
	city: 'City2023demo',
	expert: 'Expert2023demo',
	observer: 'Observer2023demo',
	sysadmin: 'Sys-Admin-2023',
	secadmin: 'Sec-Admin-2023',
	auditadmin: 'Aud-Admin-2023'
};

/** Waits until the page is hydrated, so typed input is not reset by the first render. */
export async function ready(page: Page) {
	await page.locator('body[data-hydrated="1"]').waitFor({ state: 'attached' });
}

export async function open(page: Page, path: string) {
	const res = await page.goto(path);
	await ready(page);
	return res;
}

export async function login(page: Page, username: string, password: string) {
	await open(page, '/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function logout(page: Page) {
	await page.getByRole('button', { name: '退出' }).click();
	await expect(page).toHaveURL(/\/login/);
}

/** Read-only look into the e2e database, to pick ids for a test. */
export function query<T>(sql: string, ...params: unknown[]): T[] {
	const db = new Database(process.env.E2E_DB ?? 'data/e2e.db', { readonly: true, fileMustExist: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

/** An ID number or phone as stored (SM4 ciphertext), decrypted with the key file beside the e2e database. */
export function reveal(stored: string | null): string | null {
	const file = keyFileFor(E2E_DB);
	const keys = file ? readKeyFile(file) : null;
	if (!keys) throw new Error(`没有密钥文件 ${file}`);
	return decryptValue(keys, stored);
}
