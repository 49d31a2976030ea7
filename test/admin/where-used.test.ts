// The delete confirmations of Users, Websites and Routes list what goes with the thing or what it
// lets go of (GET /api/dependents kinds user, website, route), with axe on one of them.
import { expect } from 'chai';
import { okBody } from '../support/tandem.ts';
import { queue, queueFlowProject } from '../support/world.ts';
import { adminSessionForSuite, seriousViolations } from './harness.ts';

interface Row {
  id: number;
}

describe('where used in delete confirmations (browser)', function () {
  this.timeout(180_000);
  const session = adminSessionForSuite();

  it('lists a user\'s API keys, a website\'s flow and queue, a route\'s project; Cancel keeps them', async () => {
    const { page, node, admin } = session();
    const t = node.adminToken;
    const service = okBody(await node.client.post<Row>('/api/users', { role: 'service', username: 'wfm.bridge', fullName: 'WFM bridge' }, t), 201);
    const key = okBody(await node.client.post<{ prefix: string }>(`/api/users/${service.id}/api-keys`, { name: 'forecasts' }, t), 201);
    const chatQueue = await queue(node, { channel: 'chat', name: 'Web help' });
    const flow = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Web flow', channel: 'chat', project: queueFlowProject('Web help') }, t), 201);
    okBody(await node.client.post<Row>('/api/chat/websites', { name: 'Shop front', projectId: flow.id, queueId: chatQueue }, t), 201);
    const ivr = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Main menu', channel: 'voice', project: queueFlowProject('none') }, t), 201);
    okBody(await node.client.post('/api/voice/routes', { kind: 'inbound', name: 'Main DID', pattern: '5550100', projectId: ivr.id }, t), 201);
    const confirm = page.getByTestId('confirm-dialog');
    const listed = confirm.getByTestId('confirm-dependents');

    await page.goto('/admin/staff/users');
    await page.getByRole('button', { name: 'Delete WFM bridge' }).click();
    await listed.getByText(`API key forecasts — key ${key.prefix}… stops working`).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    await page.goto('/admin/chat/websites');
    await page.getByRole('button', { name: 'Delete Shop front' }).click();
    await listed.getByText('IVR project Web flow — chat flow of the website').waitFor();
    await listed.getByText('Queue Web help — queue of the website').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    await page.goto('/admin/voice/routes');
    await page.getByRole('button', { name: 'Delete Main DID' }).click();
    await listed.getByText('IVR project Main menu — IVR project the route runs').waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(okBody(await node.client.get<unknown[]>('/api/voice/routes', t))).to.deep.equal([]);
    expect(admin.errors).to.deep.equal([]);
  });
});
