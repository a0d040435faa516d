export {
  planFromObjects,
  planFromSpec,
  restorePlaybook,
  namespaceSchedule,
  namespaceMatches,
  specCovers,
  VELERO_NAMESPACE,
  type BackupPlan,
  type ClusterBackupPlan,
  type NamespaceBackup,
} from './plan.js';
export { verifyBackups, renderVerify, type VerifyRow, type VerifyInput } from './verify.js';
