export { launchChromium, connectOverCdp, defaultChromiumPath, CHROMIUM_ARGS, type LaunchOptions } from './launch.ts';
export { PageSession, type DialogRecord, type DownloadRecord, type PageSessionOptions } from './session.ts';
export * from './scan/index.ts';
export * from './actions/index.ts';
export { NetworkActivity, describeSent, accepted as requestAccepted, type SentRequest } from './network-activity.ts';
export { settlePage, type SettleResult } from './settle.ts';
export { describeTarget, strategyLocator, type LocatorStrategy, type TargetDescriptor } from './describe-target.ts';
