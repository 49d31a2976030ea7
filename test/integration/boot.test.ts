// Asterisk 22 boots clean with the project's configuration, installed as asterisk/README.md says:
// not one ERROR line in its log, the modules Tandem requires loaded, AMI and ARI taken by Tandem.
import { expect } from 'chai';
import { startLab, type Lab } from './lab.ts';

describe('integration: Asterisk boots with the project configuration', function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async function () {
    lab = await startLab(this);
  });
  after(async () => {
    await lab?.stop();
  });

  it('writes no ERROR line while starting', () => {
    const log = lab.asterisk.bootLog();
    expect(log, 'the boot log').to.contain('Asterisk Ready');
    const errors = log.split('\n').filter((line) => /\bERROR\[/.test(line));
    expect(errors, 'ERROR lines in messages.log / console.out').to.deep.equal([]);
  });

  it('has loaded the modules Tandem requires, and the phones and trunk of the wizard', async () => {
    for (const mod of ['res_agi.so', 'res_ari.so', 'app_stasis.so', 'res_http_media_cache.so', 'res_pjsip_config_wizard.so']) {
      expect(await lab.asterisk.cli(`module show like ${mod}`), mod).to.match(/Running/);
    }
    const endpoints = await lab.asterisk.cli('pjsip show endpoints');
    for (const name of ['tandem-trunk', '1001', '2101']) expect(endpoints, name).to.contain(`Endpoint:  ${name} `);
  });

  it("lets Tandem in on AMI and ARI with the project's least-rights users", async () => {
    expect(lab.node.tandem.voice.status()).to.deep.equal({ ami: 'up', ari: 'up' });
    const apps = await lab.asterisk.cli('ari show apps');
    expect(apps).to.match(/\btandem\b/);
  });
});
