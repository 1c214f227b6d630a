/**
 * Common passwords, refused whatever their case. The bulk is the list that zxcvbn-ts ships
 * (`@zxcvbn-ts/language-common`, MIT: about 49 000 passwords ranked by frequency in public
 * breach corpora). Added here are passwords typical of Chinese users that such lists rank low or
 * miss (pinyin, 520/1314, keyboard walks with the shifted row, the "Aa123…" family) — from the
 * published analyses of the 2011 CSDN, Tianya and 178.com leaks and of common admin defaults.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const CHINESE_COMMON_PASSWORDS: readonly string[] = [
	'woaini1314', 'woaini520', 'woaini521', 'woaini123', 'woaini123456', 'woaini1314520', 'woaini5201314',
	'5201314', '1314520', '52013141314', '5201314520', '1314521', 'iloveyou1314', 'iloveyou520', 'wo5201314',
	'qwertyuiop', 'qwertyuiop123', 'qwertyuiop1', '1qaz2wsx', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', '1qaz@wsx', '1qaz@wsx3edc',
	'1qaz!qaz', '!qaz2wsx', '!qaz@wsx', '!qaz@wsx#edc', 'zaq12wsx', 'zaq1xsw2', '2wsx3edc', 'qazwsx123', 'qazwsxedc',
	'qazwsxedc123', 'qweasdzxc', 'qweasdzxc123', '123qweasd', '123qweasdzxc', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y',
	'1q2w3e', 'q1w2e3r4', 'q1w2e3r4t5', 'qwer1234', 'qwer1234!', 'qwe123456', 'qwe123!@#', 'asd123456', 'asdf1234',
	'zxc123456', 'zxcvbnm123', 'zxcvbnm123456', 'aa123456', 'aa123456789', 'aa1234567890', 'aa12345678',
	'a123456', 'a1234567', 'a12345678', 'a123456789', 'a1234567890', 'abc123456', 'abc12345678', 'abc123456789',
	'abcd1234', 'abcd123456', 'abcd1234!', '123456abc', '123456aa', '123456qq', 'qq123456', 'qq123456789', 'qq5201314',
	'admin123', 'admin1234', 'admin12345', 'admin123456', 'admin@123', 'admin@1234', 'admin@123456', 'admin!@#',
	'admin2023', 'admin2024', 'admin2025', 'admin2026', 'root123456', 'root@123', 'test123456', 'test@123',
	'password@123', 'password123!', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'p@ssw0rd123', 'p@ssw0rd!', 'passw0rd!',
	'pass@word1', 'pass@123', 'p@55w0rd', 'welcome123', 'welcome@123', 'changeme123', 'abc@123', 'abc@1234',
	'12345678910', '1234567890a', '0123456789', '147258369', '147258369a', '159357456', '987654321a', '123123123a',
	'11223344', '1122334455', '88888888', '66666666', '168168168', '518518518', '5211314', '7758521', '7758258',
	'woshishui', 'woshishui123', 'nihao123', 'nihao123456', 'nihaoma123', 'wodemima', 'mima123456', 'mimamima',
	'zhangwei', 'wangwei123', 'wangjing', 'liuyang123', 'zhang123456', 'wang123456', 'li123456', 'liu123456',
	'chen123456', 'yang123456', 'huang123456', 'zhao123456', 'zhou123456', 'wu123456', 'xu123456', 'sun123456',
	'dearbook', 'xiaoming', 'xiaoming123', 'jiangsu123', 'beijing2008', 'beijing123', 'shanghai123', 'liaoning123',
	'shenyang123', 'dalian123', 'zhongguo', 'zhongguo123', 'china123', 'china123456', 'huawei123', 'huawei@123',
	'xiaomi123', 'baidu123', 'tencent123', 'taobao123', 'alibaba123', 'weixin123', 'wechat123', 'tianya123',
	'csdn123456', 'aini1314', 'aini520', 'loveyou1314', 'lovelove', 'sunshine123', 'yuanfang', 'tiantian',
	'Aa123456!', 'Aa123456@', 'Aa123123', 'Aa111111', 'Aa888888', 'Aa000000', 'Aa12345678', 'Aa123456789', 'Aa1234567890',
	'Abc123456', 'Abc@123456', 'Abc12345!', 'Qwer1234', 'Qwer@1234', 'Qwe123456', 'Asd123456', 'Zxc123456',
	'1234qwer', '1234abcd', '12345qwert', 'qwert12345', 'qwerty123', 'qwerty123456', 'q123456789', 'w123456789',
	'z123456789', 'zxcv1234', 'asdfghjkl', 'asdfghjkl123', 'zxcvbnm', 'mnbvcxz', 'poiuytrewq', 'lkjhgfdsa'
];

let common: Set<string> | null = null;

/** The list as a set of lower-case passwords (built on first use). */
export function commonPasswords(): Set<string> {
	if (!common) {
		common = new Set<string>();
		for (const p of dictionary['passwords-common']) common.add(p.toLowerCase());
		for (const p of CHINESE_COMMON_PASSWORDS) common.add(p.toLowerCase());
	}
	return common;
}
