import { agentLoginBlock } from './agent-login.ts';
import { agentLogoutBlock } from './agent-logout.ts';
import { agentPauseBlock } from './agent-pause.ts';
import { agentUnpauseBlock } from './agent-unpause.ts';
import { agiBlock } from './agi.ts';
import { answerBlock } from './answer.ts';
import { callbackRequestBlock } from './callback-request.ts';
import { conditionBlock } from './condition.ts';
import { contactLookupBlock } from './contact-lookup.ts';
import { customAppBlock } from './custom-app.ts';
import { databaseBlock } from './database.ts';
import { endBlock } from './end.ts';
import { externalDialBlock } from './external-dial.ts';
import { finallyBlock } from './finally.ts';
import { getDigitsBlock } from './get-digits.ts';
import { gotoBlock } from './goto.ts';
import { hangupBlock } from './hangup.ts';
import { httpRequestBlock } from './http-request.ts';
import { internalDialBlock } from './internal-dial.ts';
import { mathBlock } from './math.ts';
import { menuBlock } from './menu.ts';
import { musicOnHoldBlock } from './music-on-hold.ts';
import { noopBlock } from './noop.ts';
import { playbackBlock } from './playback.ts';
import { queueBlock } from './queue.ts';
import { quickReplyMenuBlock } from './quick-reply-menu.ts';
import { recordBlock } from './record.ts';
import { sayBlock } from './say.ts';
import { sendMailBlock } from './send-mail.ts';
import { sendMessageBlock } from './send-message.ts';
import { sendSmsBlock } from './send-sms.ts';
import { setBlock } from './set.ts';
import { startBlock } from './start.ts';
import { subProjectBlock } from './sub-project.ts';
import { switchBlock } from './switch.ts';
import { systemBlock } from './system.ts';
import { tagBlock } from './tag.ts';
import { timeConditionBlock } from './time-condition.ts';
import { ttsBlock } from './tts.ts';
import { voicemailBlock } from './voicemail.ts';
import { waitForMessageBlock } from './wait-for-message.ts';
import { waitBlock } from './wait.ts';
import type { AnyBlockDefinition, BlockDefinition } from '../block.ts';

/**
 * The block catalogue: type name → definition. A map, not a switch, so the interpreter, the
 * validator and the designer's palette all read the same list, and a server can register extra
 * block types (createRegistry) without touching the interpreter.
 */
export type BlockRegistry = ReadonlyMap<string, AnyBlockDefinition>;

// Each definition is BlockDefinition<P, R> for its own P and R; method bivariance lets it stand as
// the registry's BlockDefinition<unknown, unknown>.
const widen = <P, R>(definition: BlockDefinition<P, R>): AnyBlockDefinition => definition as AnyBlockDefinition;

export const BUILTIN_BLOCKS: readonly AnyBlockDefinition[] = [
  widen(agentLoginBlock),
  widen(agentLogoutBlock),
  widen(agentPauseBlock),
  widen(agentUnpauseBlock),
  widen(agiBlock),
  widen(answerBlock),
  widen(callbackRequestBlock),
  widen(conditionBlock),
  widen(contactLookupBlock),
  widen(customAppBlock),
  widen(databaseBlock),
  widen(endBlock),
  widen(externalDialBlock),
  widen(finallyBlock),
  widen(getDigitsBlock),
  widen(gotoBlock),
  widen(hangupBlock),
  widen(httpRequestBlock),
  widen(internalDialBlock),
  widen(mathBlock),
  widen(menuBlock),
  widen(musicOnHoldBlock),
  widen(noopBlock),
  widen(playbackBlock),
  widen(queueBlock),
  widen(quickReplyMenuBlock),
  widen(recordBlock),
  widen(sayBlock),
  widen(sendMailBlock),
  widen(sendMessageBlock),
  widen(sendSmsBlock),
  widen(setBlock),
  widen(startBlock),
  widen(subProjectBlock),
  widen(switchBlock),
  widen(systemBlock),
  widen(tagBlock),
  widen(timeConditionBlock),
  widen(ttsBlock),
  widen(voicemailBlock),
  widen(waitForMessageBlock),
  widen(waitBlock),
];

export function createRegistry(definitions: readonly AnyBlockDefinition[] = BUILTIN_BLOCKS): BlockRegistry {
  const registry = new Map<string, AnyBlockDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.type)) throw new Error(`block type ${definition.type} is defined twice`);
    registry.set(definition.type, definition);
  }
  return registry;
}

export const defaultRegistry: BlockRegistry = createRegistry();
