// Issue 22, finding 13 (the chat part): agents read every website's canned answers. Made here through
// the real API: an agent reads the canned answers and dispositions of the websites of the queues they
// serve (and of a website whose chat they have), and another website's answer 404 as an unknown one.
import { expect } from 'chai';
import { ChatWorld, expectNotFound, type Account, type WebsiteBody } from './chat-world.ts';

describe('security row 13: canned answers and dispositions are scoped to the agent\'s queues', function () {
  this.timeout(60_000);
  const world = new ChatWorld();
  let sales: Account, support: Account;
  let salesSite: WebsiteBody, supportSite: WebsiteBody;

  before(async () => {
    await world.start();
    [sales, support] = [await world.agent(), await world.agent()];
    const salesQueue = await world.queue([sales]);
    const supportQueue = await world.queue([support]);
    salesSite = await world.website({ queueId: salesQueue.id, cannedAnswers: [{ title: 'Price', text: 'Our price list: …' }], dispositions: ['sold'] });
    supportSite = await world.website({ queueId: supportQueue.id, cannedAnswers: [{ title: 'Reset', text: 'Internal reset procedure: …' }], dispositions: ['escalated'] });
  });
  after(() => world.stop());

  it('refuses another queue\'s website (404), serves the agent\'s own', async () => {
    const { c } = world;
    expectNotFound(await c.get('/api/chat/websites/999999999/canned-answers', sales.token), 'an unknown website');
    expectNotFound(await c.get(`/api/chat/websites/${supportSite.id}/canned-answers`, sales.token), "support's canned answers");
    expectNotFound(await c.get(`/api/chat/websites/${supportSite.id}/dispositions`, sales.token), "support's dispositions");
    expectNotFound(await c.get(`/api/chat/websites/${salesSite.id}/canned-answers`, support.token), "sales' canned answers");

    const own = await c.get<{ title: string }[]>(`/api/chat/websites/${salesSite.id}/canned-answers`, sales.token);
    expect(own.status, own.text).to.equal(200);
    expect(own.body.map((a) => a.title)).to.deep.equal(['Price']);
    expect((await c.get<string[]>(`/api/chat/websites/${supportSite.id}/dispositions`, support.token)).body).to.deep.equal(['escalated']);
    expect((await c.get(`/api/chat/websites/${supportSite.id}/canned-answers`, world.admin)).status).to.equal(200);
  });
});
