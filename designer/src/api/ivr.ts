// The IVR project endpoints (server/http/routes/ivr.ts), typed.
import type { ChannelKind, Project } from '../../../flows/index.ts';
import type { ApiClient } from './client.ts';
import type { ProjectDetail, ProjectSummary, PublishResult, VersionDetail, VersionView } from './types.ts';

export class IvrApi {
  constructor(private readonly api: ApiClient) {}

  list(channel?: ChannelKind): Promise<ProjectSummary[]> {
    return this.api.get(`/api/ivr/projects${channel === undefined ? '' : `?channel=${encodeURIComponent(channel)}`}`);
  }
  get(id: string): Promise<ProjectDetail> {
    return this.api.get(`/api/ivr/projects/${encodeURIComponent(id)}`);
  }
  create(input: { name: string; channel: ChannelKind; description?: string; project?: unknown }): Promise<ProjectDetail> {
    return this.api.post('/api/ivr/projects', input);
  }
  saveDraft(id: string, revision: number, project: Project): Promise<ProjectDetail> {
    return this.api.put(`/api/ivr/projects/${encodeURIComponent(id)}/draft`, { revision, project });
  }
  /** The new version, or the latest one with `unchanged: true` when the draft is that version (nothing stored). */
  publish(id: string, revision: number, message: string): Promise<PublishResult> {
    return this.api.post(`/api/ivr/projects/${encodeURIComponent(id)}/publish`, { revision, message });
  }
  versions(id: string): Promise<VersionView[]> {
    return this.api.get(`/api/ivr/projects/${encodeURIComponent(id)}/versions`);
  }
  version(id: string, version: number | 'latest'): Promise<VersionDetail> {
    return this.api.get(`/api/ivr/projects/${encodeURIComponent(id)}/versions/${version}`);
  }
  rollback(id: string, version: number): Promise<ProjectDetail> {
    return this.api.post(`/api/ivr/projects/${encodeURIComponent(id)}/rollback`, { version });
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/ivr/projects/${encodeURIComponent(id)}`);
  }
}
