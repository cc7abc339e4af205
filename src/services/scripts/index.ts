export { scriptsService, scriptNotFound, type ScriptsService, type ScriptsDeps } from './scripts.service.ts';
export { scriptViews, type ScriptViews } from './script-views.ts';
export { prepareUploadedFiles, checkRevisionLimits, type ScriptSourceChecker } from './script-uploads.ts';
