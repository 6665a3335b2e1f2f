// 通话设置 pages (one lazy chunk for the console): 呼入接听设置, 外呼设置, 号码设置 (外呼指定分配, 满意度评价),
// 通话保持放音, 黑名单, 收号设置, 自助服务.
import './callsettings.css';

export { AnswerSettingsPage } from './AnswerSettingsPage';
export { BlacklistPage } from './BlacklistPage';
export { DigitTemplatesPage } from './DigitTemplatesPage';
export { HoldMusicPage } from './HoldMusicPage';
export { NumberSettingsPage } from './NumberSettingsPage';
export { OutboundSettingsPage } from './OutboundSettingsPage';
export { SelfServicePage } from './SelfServicePage';
