import { expect } from 'chai';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('configuration', () => {
  it('defaults to loopback, the embedded database in ./data and port 8080', () => {
    const c = loadConfig({});
    expect(c.http.host).to.equal('127.0.0.1');
    expect(c.http.port).to.equal(8080);
    expect(c.database.url).to.equal(undefined);
    expect(c.dataDir).to.match(/\/data$/);
    expect(c.fastagi).to.deep.equal({ enabled: true, host: '127.0.0.1', port: 4573, maxConnections: 4096, maxConnectionsPerAddress: 4096 });
  });
  it('names every wrong variable with what is wrong, in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ TANDEM_PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://u:secretpw@h/db', FASTAGI_PORT: '70000', TANDEM_HOST: 'bad host' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const text = error!.problems.join('\n');
    expect(error!.problems).to.have.length(5);
    expect(text).to.match(/TANDEM_PORT: .*\(got 'eighty'\)/);
    expect(text).to.match(/LOG_LEVEL: .*\(got 'loud'\)/);
    expect(text).to.match(/DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(text).to.match(/FASTAGI_PORT: must be between 0 and 65535/);
    expect(text).to.match(/TANDEM_HOST: must be a host name or IP address/);
    expect(text, 'secrets are never echoed').to.not.contain('secretpw');
  });
  it('takes a real PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://tandem@127.0.0.1:5432/tandem' }).database.url).to.equal('postgres://tandem@127.0.0.1:5432/tandem');
  });
});
