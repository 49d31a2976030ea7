/**
 * When a voice route applies: weekly intervals (local times in `timezone`, optionally within a date
 * range) minus the holidays. routes.ts validates it and decides with it.
 */
export interface RouteSchedule {
  timezone: string;
  intervals: { days: ('sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[]; from: string; to: string; dateFrom?: string; dateTo?: string }[];
  holidays: string[];
}
