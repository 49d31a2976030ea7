// `npm start`: one Tandem node. Without DATABASE_URL the data lives in an embedded PostgreSQL in
// TANDEM_DATA_DIR (./data), so a first run needs nothing else.
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startTandem } from './tandem.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const tandem = await startTandem(config, { logger });
  const lines = [
    '',
    `Tandem is running at ${tandem.url}  (open it in a browser for the IVR designer; API under ${tandem.url}/api, health at ${tandem.url}/api/health)`,
    `Database: ${tandem.database.location}`,
    tandem.fastagi ? `FastAGI for Asterisk: agi://${tandem.fastagi.host}:${tandem.fastagi.port}/inbound (see asterisk/README.md)` : 'FastAGI: disabled (FASTAGI_ENABLED=false)',
  ];
  const fa = tandem.firstAdmin;
  if (fa.kind === 'one-time') {
    lines.push(
      `First login: user '${fa.username}', one-time password: ${fa.password}`,
      '  (shown only now; you will be asked to choose a new password at first login.',
      '   Set TANDEM_ADMIN_PASSWORD before the first start to choose it yourself.)',
    );
  } else if (fa.kind === 'from-env') {
    lines.push(`First login: user '${fa.username}' with the password from TANDEM_ADMIN_PASSWORD.`);
  }
  lines.push('');
  // The banner goes to stderr as plain text so that stdout stays pure JSON logs.
  process.stderr.write(lines.join('\n') + '\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await tandem.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Tandem could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
