// Member pickers with far more agents than a page holds: 1,500 agents (made at once with SQL), the
// queue editor's agent picker and the team dialog's search the server as the user types, by
// keyboard, with the combobox role; the agent a list of 1,000 would have missed is found and added.
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { okBody } from '../support/tandem.ts';
import { queue } from '../support/world.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';

const COUNT = 1500;

describe('agent pickers with more than 1,000 agents (browser)', function () {
  this.timeout(240_000);
  let session: AdminSession;

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession();
    // Names sort as their numbers do: the last ones are past any first page of 1,000.
    await session.node.tandem.database.db.execute(sql`
      with made as (
        insert into users (role, username, full_name)
        select 'agent', 'crowd.' || g, 'Crowd Agent ' || lpad(g::text, 4, '0') from generate_series(1, ${COUNT}) g
        returning id, username
      )
      insert into agents (user_id, extension) select id, '7' || lpad(substring(username from 7), 4, '0') from made`);
  });
  after(async () => session?.stop());

  it('finds and adds agent 1,450 to a queue by keyboard, the list narrowed by the server', async () => {
    const { page, node, admin } = session;
    const listed = Number((await node.client.get('/api/agents?limit=1', node.adminToken)).headers.get('x-total-count'));
    expect(listed).to.be.at.least(COUNT);
    const queueId = await queue(node, { channel: 'voice', name: 'Crowded' });

    await page.goto(`${node.tandem.url}/admin/voice/queues`);
    await page.getByRole('button', { name: 'Edit Crowded' }).click();
    const agents = page.getByTestId('queue-agents');
    const picker = agents.getByRole('combobox', { name: 'Agent', exact: true });
    await picker.focus();
    await page.keyboard.type('Crowd Agent');
    const listbox = agents.getByRole('listbox');
    await listbox.getByRole('option').first().waitFor();
    // A page of matches, the rest counted: the browser never holds the whole list.
    expect(await listbox.getByRole('option').count()).to.be.at.most(20);
    await agents.getByText(/more agents: type more/).waitFor();
    expect(await picker.getAttribute('aria-expanded')).to.equal('true');
    expect(await seriousViolations(page)).to.deep.equal([]);

    await picker.fill('Crowd Agent 1450');
    await listbox.getByRole('option', { name: /^Crowd Agent 1450 / }).waitFor();
    expect(await listbox.getByRole('option').count()).to.equal(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await picker.inputValue()).to.equal('Crowd Agent 1450');
    await agents.getByRole('button', { name: 'Add agent' }).click();
    await agents.getByRole('spinbutton', { name: 'Penalty of Crowd Agent 1450' }).waitFor();
    const [member] = okBody(await node.client.get<{ agentId: number }[]>(`/api/queues/${queueId}/agents`, node.adminToken));
    const [agent] = okBody(await node.client.get<{ id: number }[]>('/api/agents?q=crowd.1450&limit=1', node.adminToken));
    expect(member?.agentId).to.equal(agent?.id);

    // A member is not offered again; Escape closes the list and leaves the dialog open.
    await picker.fill('Crowd Agent 1450');
    await agents.getByText('No agent matches “Crowd Agent 1450”.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Add agent' }).waitFor();
    expect(admin.errors).to.deep.equal([]);
  });

  it('adds agent 1,499 to a new team from the team dialog', async () => {
    const { page, node, admin } = session;
    await page.goto(`${node.tandem.url}/admin/staff/teams`);
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByTestId('team-dialog');
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Late crowd');
    const picker = dialog.getByRole('combobox', { name: 'Add a member' });
    await picker.fill('1499');
    await dialog.getByRole('option', { name: /^Crowd Agent 1499 / }).waitFor();
    await picker.press('Enter');
    await dialog.getByTestId('team-member').filter({ hasText: 'Crowd Agent 1499' }).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const teams = okBody(await node.client.get<{ name: string; agentIds: number[] }[]>('/api/teams', node.adminToken));
    const [agent] = okBody(await node.client.get<{ id: number }[]>('/api/agents?q=crowd.1499&limit=1', node.adminToken));
    expect(teams.find((t) => t.name === 'Late crowd')?.agentIds).to.deep.equal([agent!.id]);
    expect(admin.errors).to.deep.equal([]);
  });
});
