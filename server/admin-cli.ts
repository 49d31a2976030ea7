// `npm run admin -- <command> <username>`: recovery without the web API, for when no administrator
// can log in. It opens the same database as `npm start` (DATABASE_URL, or the embedded one in
// TANDEM_DATA_DIR) directly. On PostgreSQL it works while Tandem runs; the embedded database can
// only be opened by one process, so stop Tandem first.
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase, type Database } from './db/database.ts';
import { users } from './db/schema.ts';
import { audit } from './db/audit.ts';
import { generatePassword, hashPassword } from './auth/passwords.ts';
import { revokeUserSessions } from './auth/sessions.ts';
import { setLocked } from './staff/accounts.ts';

const USAGE = `Usage: npm run admin -- <command> <username> [--force]

Commands:
  unlock <username>          lift every lock of the account: the one an administrator set, and the
                             ones failed logins put on single addresses or on phone PINs
  reset-password <username>  unlock it too, and give it a new one-time password, printed once,
                             to be changed at the next login; its sessions and reset links end

Uses the database of \`npm start\`: DATABASE_URL, or the embedded one in TANDEM_DATA_DIR (./data).
The embedded database must not be in use: stop Tandem first (--force if it crashed and left
its lock file behind).
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--force');
  const args = argv.filter((a) => a !== '--force');
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const [command, username, ...extra] = args;
  if (!['unlock', 'reset-password'].includes(command!)) throw new UsageError(`Unknown command '${command}'.`);
  if (!username || extra.length > 0) throw new UsageError(`'${command}' takes exactly one username.`);

  const config = loadConfig();
  const database = await open(config, force);
  try {
    await database.migrate();
    const db = database.db;
    const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
    if (!user) {
      process.stderr.write(`No account named '${username}' in ${database.location}.\n`);
      return 1;
    }
    if (command === 'unlock') {
      const changed = await setLocked(db, user.id, false, null, 'admin command');
      process.stdout.write(changed ? `Account '${user.username}' unlocked.\n` : `Account '${user.username}' was not locked.\n`);
    } else {
      if (user.role === 'service') {
        process.stderr.write(`'${user.username}' is a service user: it has no password (it uses API keys).\n`);
        return 1;
      }
      await setLocked(db, user.id, false, null, 'admin command');
      const password = generatePassword();
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(password, config.auth.passwordCost), passwordChangedAt: new Date(), mustChangePassword: true, updatedAt: new Date() })
        .where(eq(users.id, user.id));
      // The users trigger also deletes sessions and reset links on a new hash; said here explicitly.
      await revokeUserSessions(db, user.id);
      await audit(db, null, 'password.set', `user:${user.id}`, { via: 'admin command', byAdmin: true });
      process.stdout.write(
        `Account '${user.username}' unlocked; its sessions ended.\n` +
          `One-time password: ${password}\n` +
          '(shown only now; it must be changed at the next login)\n',
      );
      if (user.disabled) process.stdout.write(`Note: '${user.username}' is disabled; another administrator must enable it.\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function open(config: Config, force: boolean): Promise<Database> {
  const logger = createLogger('error', process.stderr);
  if (config.database.url) return openDatabase({ url: config.database.url, dataDir: config.dataDir, poolSize: 2, connectRetries: 0, logger });
  const pgdata = path.join(config.dataDir, 'pgdata');
  // Never create an empty database here: that would only hide a wrong TANDEM_DATA_DIR.
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) throw new Error(`No embedded database in ${config.dataDir} (set TANDEM_DATA_DIR, or DATABASE_URL for PostgreSQL).`);
  // The embedded engine keeps this file while a process has the database open, and two processes
  // on one data folder corrupt it.
  if (fs.existsSync(path.join(pgdata, 'postmaster.pid')) && !force) {
    throw new Error(`The embedded database in ${config.dataDir} is in use: stop Tandem first (or pass --force if it crashed and is not running).`);
  }
  if (force) fs.rmSync(path.join(pgdata, 'postmaster.pid'), { force: true });
  return openDatabase({ url: undefined, dataDir: config.dataDir, logger });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
