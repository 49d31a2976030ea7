// /api/ivr/projects: the IVR designer's storage (the `ivr` permission): drafts with conflict
// detection, publish, versions, rollback, import (create with a document) and export (GET).
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery, parseUuid } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import {
  createProject,
  deleteProject,
  draftSaveSchema,
  getProject,
  getVersion,
  listProjects,
  listVersions,
  projectCreateSchema,
  projectListQuery,
  publish,
  publishSchema,
  rollback,
  rollbackSchema,
  saveDraft,
} from '../../ivr/projects.ts';

export function ivrRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  const read = requirePermission('ivr', 'read');
  const edit = requirePermission('ivr', 'edit');

  router.get('/api/ivr/projects', read, async (ctx) => {
    ctx.body = await listProjects(db, parseQuery(ctx, projectListQuery).channel);
  });
  router.post('/api/ivr/projects', edit, async (ctx) => {
    const input = parseBody(ctx, projectCreateSchema);
    ctx.status = 201;
    ctx.body = await createProject(db, input, principalOf(ctx).userId);
  });
  router.get('/api/ivr/projects/:id', read, async (ctx) => {
    ctx.body = await getProject(db, parseUuid(ctx));
  });
  router.put('/api/ivr/projects/:id/draft', edit, async (ctx) => {
    const id = parseUuid(ctx);
    ctx.body = await saveDraft(db, id, parseBody(ctx, draftSaveSchema), principalOf(ctx).userId);
  });
  router.post('/api/ivr/projects/:id/publish', edit, async (ctx) => {
    const id = parseUuid(ctx);
    const input = ctx.state.body === undefined ? publishSchema.parse({}) : parseBody(ctx, publishSchema);
    const result = await publish(db, id, input, principalOf(ctx).userId);
    // 201 with the new version; 200 with the latest one and `unchanged: true` when the draft is that version.
    ctx.status = result.unchanged ? 200 : 201;
    ctx.body = result;
  });
  router.get('/api/ivr/projects/:id/versions', read, async (ctx) => {
    ctx.body = await listVersions(db, parseUuid(ctx));
  });
  router.get('/api/ivr/projects/:id/versions/:version', read, async (ctx) => {
    const id = parseUuid(ctx);
    ctx.body = await getVersion(db, id, ctx.params.version === 'latest' ? 'latest' : parseId(ctx, 'version'));
  });
  router.post('/api/ivr/projects/:id/rollback', edit, async (ctx) => {
    const id = parseUuid(ctx);
    ctx.body = await rollback(db, id, parseBody(ctx, rollbackSchema).version, principalOf(ctx).userId);
  });
  router.delete('/api/ivr/projects/:id', requirePermission('ivr', 'delete'), async (ctx) => {
    await deleteProject(db, parseUuid(ctx), principalOf(ctx).userId);
    ctx.status = 204;
  });
  return router;
}
