/** The integrity and confidentiality commitment (评审承诺书) an expert accepts before seeing any application. */

export const COMMITMENT_TITLE = '评审专家承诺书';

export const COMMITMENT_CLAUSES: { heading: string; text: string }[] = [
	{
		heading: '独立评审',
		text: '本人将按照国家数字技术工程师培育项目培训机构和评价机构遴选的有关规定和评分细则，独立、客观、公正地发表评审意见，不受任何单位和个人的干预，不发表与评审材料无关的倾向性意见，对所提出的评审意见承担个人责任。'
	},
	{
		heading: '保密义务',
		text: '本人对评审过程中知悉的申报材料、专家名单、评审意见、评分结果及其他未公开信息严格保密，不复制、不截屏、不外传，不向申报单位或其他无关人员透露，评审结束后按要求删除本地留存的评审材料。'
	},
	{
		heading: '回避义务',
		text: '本人与申报单位存在下列情形之一的，主动申报回避：近三年内在申报单位任职、兼职或担任顾问；持有申报单位股份或在其中有其他经济利益；与申报单位法定代表人、申报负责人或联系人有夫妻、直系血亲、三代以内旁系血亲或近姻亲关系；近三年内与申报单位有合作项目或其他可能影响公正评审的关系。评审中发现上述情形的，立即停止评审并报告省厅人才开发处。'
	},
	{
		heading: '评审纪律',
		text: '本人不私下接触申报单位，不收受申报单位及相关人员的财物、礼品或其他利益，不为申报单位说情打招呼；按时完成评审任务，对评分明显偏离的情况如实作出书面说明。自愿接受人力资源社会保障部门和纪检监督人员的监督。'
	}
];

export const COMMITMENT_PLEDGE =
	'本人已阅读并理解上述承诺内容，愿意遵守。如有违反，自愿接受取消评审专家资格等处理，并承担相应责任。';

/** A stable fingerprint of the text: stored with each acceptance so a changed text can be told apart. */
export function commitmentText(): string {
	return [COMMITMENT_TITLE, ...COMMITMENT_CLAUSES.map((c) => `${c.heading}：${c.text}`), COMMITMENT_PLEDGE].join('\n');
}
