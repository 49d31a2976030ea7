// Shapes of the Tandem API as the web app reads them: the server's own (contracts/api.ts), with
// times as the ISO strings JSON carries.
import type { AccountView } from '../../../contracts/api.ts';

export type { LoginAnswer, PermissionLevel, ProjectDetail, ProjectSummary, PublishResult, Role, VersionDetail, VersionView } from '../../../contracts/api.ts';

/** What the web app keeps of the signed-in account. */
export type Account = Pick<AccountView, 'id' | 'role' | 'username' | 'fullName' | 'permissions' | 'mustChangePassword' | 'preferences'>;
