// Text PostgreSQL can store: it refuses NUL in text values, and a lone UTF-16 surrogate has no UTF-8 form.
import { SAFE_TEXT_PATTERN } from '../../protocol/text.js';

/**
 * JSON Schema `pattern` accepting only safe text. AJV compiles patterns with the `u` flag, where a
 * paired surrogate is one astral code point (allowed) and a lone one is its own code point (refused).
 */
export { SAFE_TEXT_PATTERN };

const SAFE_TEXT = new RegExp(SAFE_TEXT_PATTERN, 'u');

/** Why a string was refused, worded for an error message. */
export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** True when the string has no NUL and no unpaired surrogate. */
export function isSafeText(value: string): boolean {
  return SAFE_TEXT.test(value);
}
