import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';

/**
 * Entry of the Finally phase: what is wired after it runs once the main flow is over — the caller
 * hung up, the flow ended, or it failed — typically to write results. Audio blocks are skipped
 * there (nobody is listening); the interpreter gives the phase its own step budget.
 */
export const finallyBlock = defineBlock({
  type: 'Finally',
  version: 1,
  category: 'structure',
  label: 'Finally',
  description: 'Runs after the call is over (hangup, end or error), e.g. to post results. Audio has no effect here.',
  params: z.object({}),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  pure: true,
  run: () => 'next',
});
