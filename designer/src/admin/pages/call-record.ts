// A call record as the call pages read it from GET /api/voice/calls and /api/voice/calls/:id:
// shared by the list and the detail page (which the list loads on demand).
export interface CallRow {
  readonly id: number;
  readonly direction: string;
  readonly callerNumber: string;
  readonly callerName: string;
  readonly did: string;
  readonly routeId: number | null;
  readonly projectId: string | null;
  readonly projectVersion: number | null;
  readonly startedAt: string;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly outcome: string | null;
  readonly reason: string | null;
  readonly steps: number;
  readonly trace: readonly unknown[];
}
