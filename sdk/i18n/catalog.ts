// The shape every language's strings must have: en.ts's, with each string widened.
import type { en } from './en.js';

/** `T` with every string literal widened to `string` (records keep their keys). */
type Widen<T> = T extends string ? string : { -readonly [K in keyof T]: Widen<T[K]> };

/** All user-facing strings of the SDK in one language. */
export type Catalog = Widen<typeof en>;
