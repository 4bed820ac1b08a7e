// The order DAP sets for a session's requests: initialize first and once. (configurationDone,
// once, is the session's own check; launch refuses a second program.)
import { t } from '../../language/l10n';

/** Why `command` cannot come now, or undefined. disconnect may come at any time. */
export function outOfOrder(command: string, initialized: boolean): string | undefined {
  if (command === 'initialize') return initialized ? t("initialize was already received: a session is initialized once") : undefined;
  if (!initialized && command !== 'disconnect') return t("'{0}' came before initialize: a client's first request must be initialize", command);
  return undefined;
}
