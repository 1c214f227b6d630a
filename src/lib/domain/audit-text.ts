/**
 * The audit log as people read it: one Chinese sentence per entry, with the names the page load
 * resolved (users' display names, experts' names, the institution of an application). The raw entry
 * (action code, ids, detail JSON) stays the verifiable record; this is only its reading.
 * Nothing personal goes into a sentence: the detail holds none, and only names are looked up.
 */
import { ATTACHMENT_LABELS as ATTACHMENTS } from './application-form';
import { conflictLabel, isConflictCode } from './conflicts';
import { declarationGroundLabel } from './experts';
import { ATTENDANCE_LABELS } from './fees';
import { findingLabel, isFindingCode } from './formal-check';
import { occupationLabel } from './occupations';
import { ROLE_LABELS, type Role } from './permissions';
import { regionLabel } from './regions';
import { APPLICATION_TYPES, DECISIONS, labelOf } from './vocabulary';
import { affiliationKindLabel } from './affiliations';
import { recheckLabel } from './recheck';

export type AuditEntry = {
	actor: string;
	userId?: string | null;
	action: string;
	entity: string | null;
	entityId: string | null;
	detail: string | null;
};

/** Names resolved on the server, by id. */
export type AuditNames = {
	users?: Record<string, string>;
	experts?: Record<string, string>;
	/** application id → institution name */
	applications?: Record<string, string>;
};

type Detail = Record<string, unknown>;
type Ctx = { who: string; d: Detail; id: string | null; n: Required<AuditNames>; e: AuditEntry };

const str = (v: unknown): string => (v == null ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const reasonOf = (v: unknown): string => (v ? `：理由“${str(v)}”` : '');
const decisionLabel = (k: unknown): string => DECISIONS.find((d) => d.key === k)?.label ?? str(k);
const codeLabel = (c: unknown): string => {
	const s = str(c);
	return isFindingCode(s) ? findingLabel(s) : isConflictCode(s) ? conflictLabel(s) : s;
};
const roleLabel = (r: unknown): string => ROLE_LABELS[r as Role] ?? str(r);

function app(c: Ctx, id: unknown = c.id): string {
	const key = str(id);
	if (!key) return '申报';
	const name = c.n.applications[key];
	return name ? `申报 ${key}「${name}」` : `申报 ${key}`;
}
/** "人工智能工程技术人员（培训机构）" from a report's entity id `occupation|type`. */
function reportGroupText(id: string | null): string {
	const [occupation, type] = (id ?? '').split('|');
	return occupation ? `${occupationLabel(occupation)}（${labelOf(APPLICATION_TYPES, type ?? '')}）` : '';
}
function expert(c: Ctx, id: unknown): string {
	const key = str(id);
	const name = c.n.experts[key];
	return name ? `专家 ${name}` : `专家 ${key || '（未知）'}`;
}
function account(c: Ctx): string {
	const username = str(c.d.username);
	const name = c.id ? c.n.users[c.id] : undefined;
	if (name && username && name !== username) return `账号 ${username}（${name}）`;
	return `账号 ${username || name || c.id || '（未知）'}`;
}
function sheet(c: Ctx): string {
	return `${expert(c, c.d.expertId)} 对${app(c, c.d.applicationId)}的评分表`;
}
const address = (d: Detail) => (d.address ? `（地址 ${str(d.address)}）` : '');

const LOGIN_REFUSALS: Record<string, string> = {
	unknown: '账号不存在',
	locked: '账号已锁定',
	password: '密码错误',
	inactive: '账号已停用'
};

/** One sentence writer per action the code writes; `who` is the actor's name. */
const AFFILIATION_FIELD_LABELS: Record<string, string> = { kind: '类别', unit: '单位', relation: '亲属关系', endedOn: '离开日期', note: '备注' };
const DIRECTORY_FIELD_LABELS: Record<string, string> = {
	institutionId: '机构',
	occupation: '职业',
	type: '类型',
	levels: '等级',
	validFrom: '有效期起',
	validTo: '有效期止',
	documentNo: '文号',
	note: '备注'
};
const directoryWhat = (d: Detail): string =>
	[
		d.institutionId ? `机构 ${str(d.institutionId)}` : '',
		d.occupation ? occupationLabel(str(d.occupation)) : '',
		d.type ? labelOf(APPLICATION_TYPES, str(d.type)) : '',
		d.source === 'national' ? `随申报 ${str(d.applicationId)} 的国家确定结果${d.documentNo ? `（${str(d.documentNo)}）` : ''}` : ''
	]
		.filter(Boolean)
		.join('，');
const NATIONAL_LABELS: Record<string, string> = { confirmed: '确定', 'not-confirmed': '未确定' };
const nationalLabel = (k: unknown): string => NATIONAL_LABELS[str(k)] ?? str(k);
const DIRECTORY_EFFECTS: Record<string, string> = { created: '，生成目录条目', updated: '，更新目录条目', removed: '，删除其目录条目' };

const SENTENCES: Record<string, (c: Ctx) => string> = {
	'user.login': (c) => `${c.who} 登录${address(c.d)}`,
	'user.login-failed': (c) =>
		`以账号 ${str(c.d.username)} 登录失败${c.d.reason ? `（${LOGIN_REFUSALS[str(c.d.reason)] ?? str(c.d.reason)}` : '（'}，第 ${str(c.d.failures)} 次${c.d.address ? `，地址 ${str(c.d.address)}` : ''}）`,
	'user.locked': (c) =>
		`账号 ${str(c.d.username)} 连续登录失败 ${str(c.d.failures)} 次，锁定 ${str(c.d.minutes)} 分钟${c.d.address ? `（地址 ${str(c.d.address)}）` : ''}`,
	'user.create': (c) => `${c.who} 新建${account(c)}，角色 ${roleLabel(c.d.role)}${c.d.region ? `，地区 ${regionLabel(str(c.d.region))}` : ''}${c.d.expertId ? `，对应${expert(c, c.d.expertId)}` : ''}`,
	'user.reset-password': (c) => `${c.who} 重置了${account(c)}的密码`,
	'user.activate': (c) => `${c.who} 启用${account(c)}`,
	'user.deactivate': (c) => `${c.who} 停用${account(c)}`,
	'user.change-password': (c) => `${c.who} 修改了自己的密码${address(c.d)}`,
	'security.unlock': (c) => `${c.who} 解除账号 ${c.id ?? ''} 的登录锁定${c.d.address ? `（地址 ${str(c.d.address)}，此前失败 ${str(c.d.failures)} 次）` : ''}`,
	'settings.update': (c) => `${c.who} 修改安全设置：${Object.entries(c.d).map(([k, v]) => `${SETTING_LABELS[k] ?? k} ${str(v)}`).join('，')}`,
	'access.denied': (c) => `${c.who}${c.d.role ? `（${roleLabel(c.d.role)}）` : ''} 的请求被拒绝：${str(c.d.method)} ${str(c.d.path)}${c.d.reason ? `，原因：${str(c.d.reason)}` : ''}`,
	'keys.rotate': (c) => `${c.who} 轮换密钥，重新加密 ${str(c.d.reencrypted)} 项`,
	'backup.run': (c) => `${c.who} 备份数据库 ${c.id ?? ''}${num(c.d.bytes) !== null ? `（${Math.round((num(c.d.bytes) as number) / 1024)} KB` : '（'}，审计链${c.d.auditIntact === false ? '有问题' : '完整'}）`,
	'demo.seed': (c) => `${c.who} 载入演示数据：${str(c.d.applications)} 份申报、${str(c.d.experts)} 名专家`,
	'bundle.import': (c) => `${c.who} 导入数据包${c.id ? `（批次 ${c.id}）` : ''}${Object.keys(c.d).length ? `：${Object.entries(c.d).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${BUNDLE_LABELS[k] ?? k} ${v}`).join('，')}` : ''}`,
	'audit.verify': (c) => `${c.who} 校验审计哈希链：${c.d.ok ? `通过，共 ${str(c.d.entries)} 条` : `发现 ${str(c.d.problems)} 处问题（共 ${str(c.d.entries)} 条，第一处在第 ${str(c.d.first)} 条）`}`,
	'audit.export': (c) => `${c.who} 导出审计日志（${c.d.format === 'xlsx' ? 'Excel' : 'CSV'}，${str(c.d.entries)} 条${c.d.action ? `，操作 ${actionLabel(str(c.d.action))}` : ''}${c.d.actor ? `，操作人 ${str(c.d.actor)}` : ''}）`,

	'application.create': (c) => `${c.who} 新建${app(c)}（${regionLabel(str(c.d.region))}，${occupationLabel(str(c.d.occupation))}）`,
	'application.save': (c) => `${c.who} 保存${app(c)}（第 ${str(c.d.version)} 版）`,
	'application.submit': (c) => `${c.who} 提交${app(c)}（${regionLabel(str(c.d.region))}，${occupationLabel(str(c.d.occupation))}，名额 ${str(c.d.cell)}）`,
	'application.return': (c) => `${c.who} 退回${app(c)}${reasonOf(c.d.reason)}${num(c.d.submittedSheets) ? `（已提交评分表 ${str(c.d.submittedSheets)} 份作废）` : ''}`,
	'application.accept': (c) => `${c.who} 受理${app(c)}`,
	'application.import-docx': (c) => `${c.who} 从 Word 申报表导入${app(c)}${num(c.d.unread) ? `（${str(c.d.unread)} 项未能读取）` : ''}`,
	'application.export-xlsx': (c) => `${c.who} 导出申报清单（${str(c.d.applications)} 份）`,
	'finding.override': (c) => `${c.who} 放行${app(c)}的形式审查问题“${codeLabel(c.d.code)}”${reasonOf(c.d.reason)}`,
	'finding.revoke': (c) => `${c.who} 撤销${app(c)}的放行“${codeLabel(c.d.code)}”`,
	'attachment.upload': (c) => `${c.who} 为${app(c)}上传附件（${(ATTACHMENTS as Record<string, string>)[str(c.d.kind)] ?? str(c.d.kind)}）`,
	'attachment.delete': (c) => `${c.who} 删除${app(c)}的附件（${(ATTACHMENTS as Record<string, string>)[str(c.d.kind)] ?? str(c.d.kind)}）`,

	'conflict.confirm': (c) => `${c.who} 确认${expert(c, c.d.expertId)} 回避${app(c)}（${codeLabel(c.d.code)}）${reasonOf(c.d.reason)}`,
	'conflict.dismiss': (c) => `${c.who} 排除${expert(c, c.d.expertId)} 与${app(c)}的回避提示（${codeLabel(c.d.code)}）${reasonOf(c.d.reason)}`,
	'conflict.declare': (c) => `${c.who} 申报${expert(c, c.d.expertId)} 与${app(c)}存在利害关系（${declarationGroundLabel(str(c.d.ground))}）${reasonOf(c.d.reason)}`,

	'expert.create': (c) => `${c.who} 新增${expert(c, c.id)}`,
	'expert.update': (c) => `${c.who} 修改${expert(c, c.id)}的信息${Array.isArray(c.d.changed) && c.d.changed.length ? `（${c.d.changed.map((k) => EXPERT_FIELD_LABELS[str(k)] ?? str(k)).join('、')}）` : ''}`,
	'expert.activate': (c) => `${c.who} 启用${expert(c, c.id)}`,
	'expert.deactivate': (c) => `${c.who} 停用${expert(c, c.id)}${num(c.d.assignments) ? `（撤下 ${str(c.d.assignments)} 项分配）` : ''}`,
	'expert.import': (c) => `${c.who} 从 Excel 导入专家库：新增 ${str(c.d.created)} 名，更新 ${str(c.d.updated)} 名`,
	'expert.commitment': (c) => `${expert(c, c.id)} 签署评审承诺书`,
	'expert.affiliation.add': (c) => `${c.who} 在${expert(c, c.id)}的回避档案中登记${affiliationKindLabel(str(c.d.kind))}`,
	'expert.affiliation.update': (c) =>
		`${c.who} 修改${expert(c, c.id)}回避档案中的${affiliationKindLabel(str(c.d.kind))}${Array.isArray(c.d.changed) && c.d.changed.length ? `（${c.d.changed.map((k) => AFFILIATION_FIELD_LABELS[str(k)] ?? str(k)).join('、')}）` : ''}`,
	'expert.affiliation.delete': (c) => `${c.who} 删除${expert(c, c.id)}回避档案中的${affiliationKindLabel(str(c.d.kind))}`,
	'directory.create': (c) => `${c.who} 新增目录条目 ${c.id ?? ''}（${directoryWhat(c.d)}）`,
	'directory.update': (c) =>
		`${c.who} 修改目录条目 ${c.id ?? ''}（${directoryWhat(c.d)}）${Array.isArray(c.d.changed) && c.d.changed.length ? `：${c.d.changed.map((k) => DIRECTORY_FIELD_LABELS[str(k)] ?? str(k)).join('、')}` : ''}`,
	'directory.delete': (c) => `${c.who} 删除目录条目 ${c.id ?? ''}（${directoryWhat(c.d)}）`,
	'directory.export': (c) => `${c.who} 导出机构目录（${str(c.d.rows)} 条）`,
	'expert.rate': (c) => `${c.who} 对${expert(c, c.id)}作出批次 ${str(c.d.batch)} 的履职评价：${str(c.d.total)} 分${c.d.late ? `（逾期，截止日 ${str(c.d.due)}）` : ''}`,
	'expert.rating.update': (c) => `${c.who} 修改${expert(c, c.id)}批次 ${str(c.d.batch)} 的履职评价：${str(c.d.previousTotal)} 分改为 ${str(c.d.total)} 分`,
	'expert.rating.reply': (c) => `${c.who} 对批次 ${str(c.d.batch)} 的履职评价作出说明（${str(c.d.length)} 字）`,
	'batch.rating-threshold': (c) => `${c.who} ${c.d.minExpertRating == null ? '关闭抽取的履职评价下限' : `设定抽取的履职评价下限为 ${str(c.d.minExpertRating)} 分`}`,
	'demo.seed-ratings': (c) => `${c.who} 载入演示履职评价 ${str(c.d.rated)} 项`,

	'rubric.update': (c) => `${c.who} 修改评分细则 ${c.id ?? ''}（第 ${str(c.d.version)} 版${num(c.d.draftsTouched) ? `，影响草稿 ${str(c.d.draftsTouched)} 份` : ''}）`,
	'rubric.version': (c) => `${c.who} 为评分细则建立新版本（第 ${str(c.d.version)} 版）`,
	'batch.scoring-deadline': (c) => `${c.who} 设定评分截止时间为 ${str(c.d.scoringDeadline) || '（无）'}`,
	'assignment.settings': (c) => `${c.who} 修改分配设置${Object.keys(c.d).length ? `：每份申报 ${str(c.d.perApplication)} 名专家${c.d.maxLoad != null ? `，每人至多 ${str(c.d.maxLoad)} 份` : ''}` : ''}`,
	'assignment.draw': (c) => `${c.who} 抽取评审专家（${c.d.scope && c.d.scope !== 'all' ? occupationLabel(str(c.d.scope)) : '全部职业'}，种子 ${str(c.d.seed)}）：分配 ${str(c.d.made)} 项${Array.isArray(c.d.unfilled) && c.d.unfilled.length ? `，${c.d.unfilled.length} 份申报人数不足` : ''}${Array.isArray(c.d.excluded) && c.d.excluded.length ? `，${c.d.excluded.length} 名专家因履职评价低于 ${str(c.d.minExpertRating)} 分未参加` : ''}`,
	'assignment.replace': (c) => `${c.who} 为${app(c)}更换专家：${expert(c, c.d.from)} 换为${expert(c, c.d.to)}${reasonOf(c.d.reason)}`,
	'assignment.assign': (c) => `${c.who} 将${app(c)}分配给${expert(c, c.d.expertId)}${reasonOf(c.d.reason)}`,
	'assignment.unassign': (c) => `${c.who} 撤下${expert(c, c.d.expertId)} 对${app(c)}的评审${reasonOf(c.d.reason)}`,
	'assignment.publish': (c) => `${c.who} 发布分配结果（共 ${str(c.d.assignments)} 项，新发布 ${str(c.d.newlyPublished)} 项）`,
	'invitation.confirm': (c) => `${expert(c, c.id)} 确认参加本批次评审`,
	'invitation.decline': (c) => `${expert(c, c.id)} 答复不能参加本批次评审${c.d.reason ? `：原因“${str(c.d.reason)}”` : ''}`,
	'invitation.deadline': (c) => `${c.who} 设定专家答复截止日期为 ${str(c.d.replyDeadline) || '（无）'}`,
	'invitation.expire': (c) => `${c.who} 记录${expert(c, c.id)} 逾期未答复评审邀请（答复期限 ${str(c.d.replyDeadline) || '（无）'}）`,
	'invitation.replace': (c) =>
		`${c.who} 以候补专家替换${expert(c, c.id)}（${c.d.cause === 'no-answer' ? '逾期未答复' : '不能参加'}）${Array.isArray(c.d.replaced) ? `：${c.d.replaced.length} 份申报` : ''}${Array.isArray(c.d.unfilled) && c.d.unfilled.length ? `，${c.d.unfilled.length} 份无可用候补` : ''}`,
	'draw.confirm': (c) => `${c.who} 确认抽取记录 第 ${c.id ?? ''} 次抽取（种子 ${str(c.d.seed)}）`,

	'sheet.submit': (c) => `${c.who} 提交${sheet(c)}${c.d.total != null ? `（总分 ${str(c.d.total)}）` : ''}`,
	'sheet.return': (c) => `${c.who} 退回${sheet(c)}${reasonOf(c.d.reason)}`,
	'sheet.explain': (c) => `${c.who} 填写${sheet(c)}的偏差说明`,
	'sheet.offline-download': (c) => `${c.who} 下载${expert(c, c.id)}的离线评分表（${Array.isArray(c.d.sheets) ? c.d.sheets.length : str(c.d.sheets)} 份）`,
	'sheet.correct': (c) =>
		`${c.who} 复核更正${sheet(c)}：${c.d.criterionId ? `评分项 ${str(c.d.criterionId)}` : '合计'} ${c.d.old == null ? '（空）' : str(c.d.old)} → ${str(c.d.new)}（${recheckLabel(str(c.d.rule))}）${reasonOf(c.d.reason)}`,
	'recheck.confirm': (c) =>
		`${c.who} 复核${app(c)}：${recheckLabel(str(c.d.rule))}${c.d.criterionId ? `（评分项 ${str(c.d.criterionId)}）` : ''}核实无误${reasonOf(c.d.reason)}`,
	'batch.objective-tolerance': (c) => `${c.who} 将客观评分项允许误差由 ${str(c.d.from)} 分改为 ${str(c.d.to)} 分`,
	'sheet.offline-import': (c) =>
		`${c.who} 导入${expert(c, c.id)}的离线评分表（${Array.isArray(c.d.applications) ? c.d.applications.length : 0} 份${Array.isArray(c.d.overwritten) && c.d.overwritten.length ? `，覆盖 ${c.d.overwritten.length} 份` : ''}）`,

	'decision.record': (c) =>
		`${c.who} 记录${app(c)}的会议结论：${decisionLabel(c.d.decision)}${reasonOf(c.d.reason)}${num(c.d.voteRoundId) !== null ? `（依据第 ${str(c.d.voteRoundId)} 号表决）` : ''}`,
	'vote.open': (c) => `${c.who} 对${app(c)}发起会议表决（第 ${str(c.d.roundId)} 号）：${decisionLabel(c.d.motion)}，有表决权 ${str(c.d.eligible)} 人`,
	// The entry says who voted in which round, never how.
	'vote.cast': (c) => `${c.who} 在第 ${c.id ?? ''} 号表决中${c.d.changed ? '改票' : '投票'}（${app(c, c.d.applicationId)}）`,
	'vote.close': (c) => {
		const t = (c.d.tally ?? {}) as Detail;
		return `${c.who} 结束${app(c)}的第 ${str(c.d.roundId)} 号表决（${decisionLabel(c.d.motion)}）：同意 ${str(t.agree)}、不同意 ${str(t.disagree)}、弃权 ${str(t.abstain)}，有表决权 ${str(t.eligible)} 人，${c.d.passed ? '通过' : '未通过'}`;
	},
	'opinion.save': (c) => `${c.who} ${c.d.revised ? '修改' : '起草'}${app(c)}的综合评审意见（${typeof c.d.text === 'string' ? c.d.text.length : 0} 字）`,
	'decision.clear': (c) => `${c.who} 清除${app(c)}的会议结论`,
	'site-visit.record': (c) => `${c.who} 记录${app(c)}的实地考察（${str(c.d.date)}）`,
	'meeting.move': (c) => `${c.who} 将会议切换到${app(c)}`,
	'meeting.day.add': (c) => `${c.who} 登记会议日 ${str(c.d.date)}（${c.d.length === 0.5 ? '半天' : '全天'}）`,
	'meeting.day.update': (c) => `${c.who} 将会议日 ${str(c.d.date)} 改为${c.d.length === 0.5 ? '半天' : '全天'}`,
	'meeting.day.remove': (c) => `${c.who} 删除会议日 ${str(c.d.date)}${num(c.d.attendance) ? `（及其 ${str(c.d.attendance)} 条出席记录）` : ''}`,
	'meeting.attendance': (c) => {
		const changes = Array.isArray(c.d.changes) ? (c.d.changes as Detail[]) : [];
		const one = (x: Detail) => `${expert(c, x.expertId)} ${str(x.date)} ${(ATTENDANCE_LABELS as Record<string, string>)[str(x.to)] ?? '未出席'}`;
		return `${c.who} 登记会议出席${changes.length ? `：${changes.slice(0, 5).map(one).join('；')}${changes.length > 5 ? ` 等 ${changes.length} 项` : ''}` : ''}`;
	},
	'fees.standard': (c) => {
		const to = (c.d.to ?? {}) as Detail;
		return `${c.who} 设定劳务费标准：高级职称 ${str(to.senior)} 元/人天，其他 ${str(to.other)} 元/人天`;
	},
	'fees.export': (c) => `${c.who} 导出劳务费签领表（Excel，${str(c.d.experts)} 人，含完整身份证号）`,
	'memo.paragraphs': (c) => `${c.who} 修改纪要段落${Array.isArray(c.d.custom) && c.d.custom.length ? `（${c.d.custom.length} 段自定义）` : ''}`,
	'memo.settings': (c) => `${c.who} 设置报告版头和版记${c.d.documentNo ? `（发文字号 ${str(c.d.documentNo)}）` : ''}`,
	'results.lock': (c) =>
		`${c.who} 锁定评审结果${num(c.d.openItems) ? `（尚有 ${str(c.d.openItems)} 项未完成）` : ''}${Array.isArray(c.d.unsigned) && c.d.unsigned.length ? `（${c.d.unsigned.length} 个组的评审报告未全部签字）` : ''}${reasonOf(c.d.reason)}`,
	'report.sign': (c) => `${expert(c, c.d.expertId)} 签署${reportGroupText(c.id)}评审报告：${c.d.kind === 'dissent' ? `有不同意见“${str(c.d.dissent)}”` : '同意'}`,
	'report.paper': (c) =>
		`${c.who} 登记${expert(c, c.d.expertId)} ${str(c.d.date)} 在${reportGroupText(c.id)}评审报告纸质签字页上的签字：${c.d.kind === 'dissent' ? `有不同意见“${str(c.d.dissent)}”` : '同意'}`,
	'results.reopen': (c) => `${c.who} 重新开放评审结果${reasonOf(c.d.reason)}`,
	'batch.create': (c) => `${c.who} 新建评审批次 ${c.id ?? ''}「${str(c.d.name)}」${c.d.from ? `（设置复制自 ${str(c.d.from)}）` : ''}`,
	'batch.archive': (c) => `${c.who} 归档评审批次 ${c.id ?? ''}「${str(c.d.name)}」`,
	'publicity.open': (c) => `${c.who} 开始公示：${str(c.d.start)} 至 ${str(c.d.end)}（${str(c.d.workingDays)} 个工作日）`,
	'national.record': (c) =>
		`${c.who} 登记${app(c)}的国家确定结果：${nationalLabel(c.d.decision)}（${str(c.d.date)}，${str(c.d.documentNo)}）${
			c.d.previous && typeof c.d.previous === 'object' ? `，原为${nationalLabel((c.d.previous as Detail).decision)}` : ''
		}${DIRECTORY_EFFECTS[str(c.d.directory)] ?? ''}${num(c.d.bulk) ? `（成批登记 ${str(c.d.bulk)} 项）` : ''}`,
	'national.clear': (c) => `${c.who} 撤销${app(c)}的国家确定结果（${nationalLabel(c.d.decision)}，${str(c.d.documentNo)}）${DIRECTORY_EFFECTS[str(c.d.directory)] ?? ''}`,
	'feedback.download': (c) => `${c.who} 下载${app(c)}的评审反馈函`,
	'publicity.close': (c) => `${c.who} 结束公示（${str(c.d.start)} 至 ${str(c.d.end)}）${num(c.d.openObjections) ? `，尚有 ${str(c.d.openObjections)} 件异议未办结` : ''}`,
	'publicity.reopen': (c) => `${c.who} 撤销公示结束${reasonOf(c.d.reason)}`,
	'calendar.set': (c) => `${c.who} 登记节假日调整：${str(c.d.date)} ${c.d.kind === 'workday' ? '上班' : '放假'}（${str(c.d.name)}）`,
	'calendar.remove': (c) => `${c.who} 删除节假日调整：${str(c.d.date)}（${str(c.d.name)}）`,
	'objection.file': (c) => `${c.who} 登记异议 ${c.id ?? ''}：对${app(c, c.d.applicationId)}，收到日期 ${str(c.d.receivedDate)}${c.d.late ? '（超出公示期）' : ''}`,
	'objection.accept': (c) => `${c.who} 受理异议 ${c.id ?? ''}（${app(c, c.d.applicationId)}）`,
	'objection.reject': (c) => `${c.who} 对异议 ${c.id ?? ''} 不予受理${reasonOf(c.d.reason)}`,
	'objection.handle': (c) => `${c.who} 记录异议 ${c.id ?? ''} 的处理情况${c.d.rereview ? '（提请原评审组复审）' : ''}${c.d.outcome ? `，结论：${OBJECTION_OUTCOMES[str(c.d.outcome)] ?? str(c.d.outcome)}` : ''}`,
	'objection.reply': (c) => `${c.who} 填写异议 ${c.id ?? ''} 的书面答复`,
	'objection.close': (c) => `${c.who} 办结异议 ${c.id ?? ''}${c.d.outcome ? `（${OBJECTION_OUTCOMES[str(c.d.outcome)] ?? str(c.d.outcome)}）` : ''}`,
	'objection.file-upload': (c) => `${c.who} 为异议 ${c.id ?? ''} 上传材料（${str(c.d.mime)}，${str(c.d.size)} 字节）`
};

const OBJECTION_OUTCOMES: Record<string, string> = { upheld: '成立', partly: '部分成立', dismissed: '不成立' };

const SETTING_LABELS: Record<string, string> = {
	sessionIdleMinutes: '会话空闲超时（分钟）',
	sessionMaxHours: '会话最长（小时）',
	maxFailedLogins: '锁定前失败次数',
	lockoutMinutes: '锁定时长（分钟）',
	passwordMinLength: '密码最短长度',
	passwordMaxAgeDays: '密码有效期（天）',
	passwordHistory: '不得重复的历史密码数'
};
const BUNDLE_LABELS: Record<string, string> = {
	batch: '批次',
	institutions: '机构',
	applications: '申报',
	experts: '专家',
	rubrics: '评分细则',
	assignments: '分配',
	declarations: '回避申报',
	scores: '评分',
	decisions: '会议结论'
};
const EXPERT_FIELD_LABELS: Record<string, string> = {
	name: '姓名',
	workUnit: '工作单位',
	title: '职称',
	occupations: '职业',
	region: '地区',
	phone: '电话',
	email: '邮箱',
	idNumber: '身份证号'
};

/** The short Chinese name of an action (for the filter list); unknown actions keep their code. */
const ACTION_LABELS: Record<string, string> = {
	'user.login': '登录',
	'user.login-failed': '登录失败',
	'user.locked': '账号锁定',
	'user.create': '新建账号',
	'user.reset-password': '重置密码',
	'user.activate': '启用账号',
	'user.deactivate': '停用账号',
	'user.change-password': '修改密码',
	'security.unlock': '解除锁定',
	'settings.update': '修改安全设置',
	'access.denied': '拒绝访问',
	'keys.rotate': '轮换密钥',
	'backup.run': '备份',
	'demo.seed': '载入演示数据',
	'demo.seed-ratings': '载入演示履职评价',
	'expert.rate': '履职评价',
	'expert.rating.update': '修改履职评价',
	'expert.rating.reply': '对履职评价作出说明',
	'batch.rating-threshold': '设定履职评价下限',
	'bundle.import': '导入数据包',
	'audit.verify': '校验审计日志',
	'audit.export': '导出审计日志',
	'application.create': '新建申报',
	'application.save': '保存申报',
	'application.submit': '提交申报',
	'application.return': '退回申报',
	'application.accept': '受理申报',
	'application.import-docx': '导入 Word 申报表',
	'application.export-xlsx': '导出申报清单',
	'finding.override': '放行形式审查问题',
	'finding.revoke': '撤销放行',
	'attachment.upload': '上传附件',
	'attachment.delete': '删除附件',
	'conflict.confirm': '确认回避',
	'conflict.dismiss': '排除回避提示',
	'conflict.declare': '专家申报回避',
	'expert.create': '新增专家',
	'expert.update': '修改专家',
	'expert.activate': '启用专家',
	'expert.deactivate': '停用专家',
	'expert.import': '导入专家库',
	'expert.commitment': '签署承诺书',
	'expert.affiliation.add': '登记回避档案',
	'expert.affiliation.update': '修改回避档案',
	'expert.affiliation.delete': '删除回避档案',
	'directory.create': '新增目录条目',
	'directory.update': '修改目录条目',
	'directory.delete': '删除目录条目',
	'directory.export': '导出机构目录',
	'rubric.update': '修改评分细则',
	'rubric.version': '评分细则新版本',
	'batch.scoring-deadline': '设定评分截止时间',
	'assignment.settings': '修改分配设置',
	'assignment.draw': '抽取专家',
	'assignment.replace': '更换专家',
	'assignment.assign': '手动分配',
	'assignment.unassign': '撤下分配',
	'assignment.publish': '发布分配',
	'report.sign': '签署评审报告',
	'report.paper': '登记纸质签字',
	'invitation.confirm': '专家确认参加',
	'invitation.decline': '专家不能参加',
	'invitation.deadline': '设定答复截止日期',
	'invitation.expire': '记录逾期未答复',
	'invitation.replace': '候补专家替换',
	'draw.confirm': '确认抽取记录',
	'sheet.submit': '提交评分表',
	'sheet.return': '退回评分表',
	'sheet.explain': '填写偏差说明',
	'sheet.offline-download': '下载离线评分表',
	'sheet.offline-import': '导入离线评分表',
	'sheet.correct': '复核更正评分',
	'recheck.confirm': '复核核实无误',
	'batch.objective-tolerance': '设定客观项允许误差',
	'decision.record': '记录会议结论',
	'decision.clear': '清除会议结论',
	'vote.open': '发起会议表决',
	'vote.cast': '会议表决投票',
	'vote.close': '结束会议表决',
	'opinion.save': '起草综合评审意见',
	'site-visit.record': '记录实地考察',
	'meeting.move': '会议切换申报',
	'meeting.day.add': '登记会议日',
	'meeting.day.update': '修改会议日',
	'meeting.day.remove': '删除会议日',
	'meeting.attendance': '登记会议出席',
	'fees.standard': '设定劳务费标准',
	'fees.export': '导出劳务费签领表',
	'memo.paragraphs': '修改纪要段落',
	'memo.settings': '设置报告版头版记',
	'results.lock': '锁定结果',
	'results.reopen': '重新开放结果',
	'batch.create': '新建批次',
	'batch.archive': '归档批次',
	'publicity.open': '开始公示',
	'national.record': '登记国家确定结果',
	'national.clear': '撤销国家确定结果',
	'feedback.download': '下载评审反馈函',
	'publicity.close': '结束公示',
	'publicity.reopen': '撤销公示结束',
	'calendar.set': '登记节假日调整',
	'calendar.remove': '删除节假日调整',
	'objection.file': '登记异议',
	'objection.accept': '受理异议',
	'objection.reject': '不予受理异议',
	'objection.handle': '记录异议处理',
	'objection.reply': '填写异议答复',
	'objection.close': '办结异议',
	'objection.file-upload': '上传异议材料'
};

export function actionLabel(action: string): string {
	return ACTION_LABELS[action] ?? action;
}

/** The actions with a sentence of their own (the rest read as the generic sentence). */
export function hasAuditSentence(action: string): boolean {
	return Object.hasOwn(SENTENCES, action);
}

/** The actor as people know them: the display name of the user, 系统 or 命令行 for the machine. */
export function actorName(e: Pick<AuditEntry, 'actor' | 'userId'>, names: AuditNames = {}): string {
	if (e.userId && names.users?.[e.userId]) return names.users[e.userId];
	if (!e.userId && e.actor === 'system') return '系统';
	if (!e.userId && e.actor === 'cli') return '命令行';
	return e.actor;
}

function parseDetail(detail: string | null): Detail {
	if (!detail) return {};
	try {
		const v: unknown = JSON.parse(detail);
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Detail) : { value: v };
	} catch {
		return { value: detail };
	}
}

/** The entry as one Chinese sentence. */
export function auditSentence(e: AuditEntry, names: AuditNames = {}): string {
	const n = { users: names.users ?? {}, experts: names.experts ?? {}, applications: names.applications ?? {} };
	const c: Ctx = { who: actorName(e, names), d: parseDetail(e.detail), id: e.entityId, n, e };
	const write = SENTENCES[e.action];
	if (write) {
		try {
			return write(c);
		} catch {
			/* a detail of an unexpected shape: the generic sentence below */
		}
	}
	const object = e.entity === 'application' ? app(c) : e.entity === 'expert' ? expert(c, e.entityId) : [e.entity, e.entityId].filter(Boolean).join(' ');
	return `${c.who} 执行操作“${actionLabel(e.action)}”${object ? `，对象：${object}` : ''}`;
}

/** The ids an entry names, for the page load to resolve. */
export function auditReferences(entries: readonly AuditEntry[]): { users: string[]; experts: string[]; applications: string[] } {
	const users = new Set<string>();
	const experts = new Set<string>();
	const applications = new Set<string>();
	for (const e of entries) {
		if (e.userId) users.add(e.userId);
		if (e.entity === 'user' && e.entityId) users.add(e.entityId);
		if (e.entity === 'application' && e.entityId) applications.add(e.entityId);
		if (e.entity === 'expert' && e.entityId) experts.add(e.entityId);
		const d = parseDetail(e.detail);
		for (const k of ['expertId', 'from', 'to'] as const) if (typeof d[k] === 'string') experts.add(d[k] as string);
		if (typeof d.applicationId === 'string') applications.add(d.applicationId);
		// meeting.attendance: the experts of each changed cell
		if (Array.isArray(d.changes)) for (const c of d.changes) if (c && typeof c === 'object' && typeof (c as Detail).expertId === 'string') experts.add((c as Detail).expertId as string);
	}
	return { users: [...users], experts: [...experts], applications: [...applications] };
}
