/**
 * 催办: the reminder an office sends an expert whose sheets are not all submitted (issue 15,
 * item 9). Pure: the text from the counts, the deadline and the sign-in address.
 */

export type ReminderInput = {
	name: string;
	notStarted: number;
	drafts: number;
	/** YYYY-MM-DD, or null when the office set no scoring deadline. */
	deadline: string | null;
	loginUrl: string;
	batchName: string;
};

/** "2023-07-10" → "2023年7月10日". */
function chineseDate(date: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/** One message to copy into a text message or an e-mail. */
export function reminderText(r: ReminderInput): string {
	const open = r.notStarted + r.drafts;
	const parts = [r.notStarted ? `尚未开始 ${r.notStarted} 份` : '', r.drafts ? `已保存未提交 ${r.drafts} 份` : ''].filter(Boolean).join('，');
	const when = r.deadline ? `请于${chineseDate(r.deadline)}前` : '请尽快';
	return (
		`${r.name}老师您好：${r.batchName}评审中，您还有 ${open} 份评分表未提交（${parts}）。` +
		`${when}登录评审工作台（${r.loginUrl}）完成评分并提交。已保存的评分不会丢失。如有疑问，请联系省人力资源和社会保障厅人才开发处。`
	);
}
