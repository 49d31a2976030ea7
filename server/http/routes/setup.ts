// GET /api/setup/checklist: the first-run checklist (server/admin/checklist.ts), for administrators
// and supervisors.
import { newRouter, type Services } from '../context.ts';
import { requireRole } from '../auth-middleware.ts';
import { setupChecklist } from '../../admin/checklist.ts';
import type { ChecklistAnswer } from '../../../contracts/admin.ts';

export function setupRoutes(services: Services) {
  const router = newRouter();
  router.get('/api/setup/checklist', requireRole('admin', 'supervisor'), async (ctx) => {
    const asterisk = services.voice?.status() ?? { ami: 'not configured', ari: 'not configured' };
    const answer: ChecklistAnswer = { items: await setupChecklist(services.db, asterisk) };
    ctx.body = answer;
  });
  return router;
}
