// Text the store can keep: PostgreSQL refuses NUL in text values, and a lone UTF-16 surrogate has no UTF-8 form.
import { Type, type TStringOptions } from 'typebox';

/**
 * JSON Schema `pattern` accepting only safe text. AJV compiles patterns with the `u` flag, where a
 * paired surrogate is one astral code point (allowed) and a lone one is its own code point (refused).
 */
export const SAFE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';

/** A string schema that refuses NUL and unpaired surrogates (every text a request may carry). */
export const SafeString = (options: TStringOptions = {}) => Type.String({ ...options, pattern: SAFE_TEXT_PATTERN });
