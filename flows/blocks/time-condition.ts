import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { HOLIDAY, ISO_DATE, TIME_OF_DAY, WEEKDAYS, inInterval, isHoliday, isValidTimeZone, localTimeIn } from '../runtime/time-window.ts';

/**
 * Business hours: `match` when the current time (in the project's time zone) falls in any
 * interval, `holiday` on a listed holiday (falls back to `nomatch` when that exit is not wired),
 * otherwise `nomatch`. Time comes from the flow's clock, so tests pin it.
 */
export const timeConditionBlock = defineBlock({
  type: 'TimeCondition',
  version: 1,
  category: 'logic',
  label: 'Time condition',
  description: 'Branches on opening hours: intervals with weekdays, dates and a time zone, plus holidays.',
  params: z.object({
    timezone: z.string().min(1).max(64).refine(isValidTimeZone, 'unknown time zone').default('UTC'),
    intervals: z
      .array(
        z.object({
          days: z.array(z.enum(WEEKDAYS)).max(7).default([]),
          from: z.string().regex(TIME_OF_DAY, 'HH:MM').default('00:00'),
          to: z.string().regex(TIME_OF_DAY, 'HH:MM').default('24:00'),
          dateFrom: z.string().regex(ISO_DATE, 'YYYY-MM-DD').optional(),
          dateTo: z.string().regex(ISO_DATE, 'YYYY-MM-DD').optional(),
        }),
      )
      .max(100)
      .default([]),
    holidays: z.array(z.string().regex(HOLIDAY, 'YYYY-MM-DD, or MM-DD for every year')).max(366).default([]),
  }),
  exits: () => ['match', 'nomatch', 'holiday'],
  optionalExits: ['holiday'],
  channels: ALL_CHANNELS,
  pure: true,
  check: (p) =>
    p.intervals.length === 0 ? [{ field: 'intervals', message: 'add at least one interval, or every call goes to nomatch' }] : [],
  compile: (p) => ({ local: localTimeIn(p.timezone), intervals: p.intervals, holidays: p.holidays }),
  run(ctx, p) {
    const now = p.local(ctx.clock.now());
    if (isHoliday(now, p.holidays)) return ctx.isWired('holiday') ? 'holiday' : 'nomatch';
    return p.intervals.some((interval) => inInterval(now, interval)) ? 'match' : 'nomatch';
  },
});
